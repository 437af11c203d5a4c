package dev.ticketing.auth;

import static org.assertj.core.api.Assertions.assertThat;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import dev.ticketing.testsupport.service.Instances;
import dev.ticketing.testsupport.service.ServiceInstance;
import dev.ticketing.testsupport.service.ServiceTest;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.test.web.servlet.client.RestTestClient;

@ServiceTest
class OperationsIntegrationTests {

    @Autowired
    RestTestClient client;

    @Test
    void livenessAndReadinessAreUpAndOpen() {
        client.get().uri("/actuator/health/liveness").exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.status").isEqualTo("UP");
        client.get().uri("/actuator/health/readiness").exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.status").isEqualTo("UP");
    }

    @Test
    void openApiDescribesTheRoutesAndTheErrorSchema() {
        client.get().uri("/v3/api-docs").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.paths['/api/users/signup'].post").exists()
                .jsonPath("$.paths['/api/users/signin'].post").exists()
                .jsonPath("$.paths['/api/users/signout'].post").exists()
                .jsonPath("$.paths['/api/users/currentuser'].get").exists()
                .jsonPath("$.paths['/api/users/currentuser'].get.parameters").doesNotExist()
                .jsonPath("$.paths['/api/users/signup'].post.responses.default.content['application/problem+json']")
                .exists()
                .jsonPath("$.components.schemas.Problem.properties.errors").exists()
                .jsonPath("$.paths['/error']").doesNotExist();
    }

    @Test
    void swaggerUiIsServed() {
        client.get().uri("/swagger-ui/index.html").exchange().expectStatus().isOk();
    }

    @Test
    void readinessGoesDownWhileMongoIsUnreachable(Instances instances) {
        MongoServer mongo = new MongoServer(new MemoryBackend());
        mongo.bind("127.0.0.1", 0);
        InetSocketAddress address = mongo.getLocalAddress();
        String uri = "mongodb://127.0.0.1:" + address.getPort() + "/auth?serverSelectionTimeoutMS=500&connectTimeoutMS=500";
        try (ServiceInstance app = instances.start("spring.mongodb.uri=" + uri)) {
            RestTestClient service = app.http();
            service.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk();

            mongo.shutdownNow();

            Awaitility.await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                    service.get().uri("/actuator/health/readiness").exchange()
                            .expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE));
            service.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
            assertThat(app.isRunning()).isTrue();
        } finally {
            mongo.shutdownNow();
        }
    }
}
