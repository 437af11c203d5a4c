package dev.ticketing.tickets;

import static org.awaitility.Awaitility.await;

import dev.ticketing.testsupport.NatsServer;
import dev.ticketing.testsupport.TestServers;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpStatus;
import org.springframework.test.web.servlet.client.RestTestClient;

@TicketsServiceTest
class OperationsIntegrationTests {

    @Autowired
    RestTestClient client;

    @Test
    void livenessAndReadinessAreUpAndIncludeNatsAndMongo() {
        client.get().uri("/actuator/health/liveness").exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.status").isEqualTo("UP");
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> client.get().uri("/actuator/health/readiness")
                .exchange().expectStatus().isOk().expectBody().jsonPath("$.status").isEqualTo("UP"));
    }

    @Test
    void openApiDescribesTheRoutesAndTheErrorSchema() {
        client.get().uri("/v3/api-docs").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.paths['/api/tickets'].get").exists()
                .jsonPath("$.paths['/api/tickets'].post").exists()
                .jsonPath("$.paths['/api/tickets/{id}'].get").exists()
                .jsonPath("$.paths['/api/tickets/{id}'].put").exists()
                .jsonPath("$.components.schemas.Problem.properties.errors").exists();
    }

    @Test
    void readinessGoesDownWhileNatsIsUnreachableAndRecovers() {
        try (NatsServer nats = TestServers.dedicatedNats();
                ConfigurableApplicationContext app = new SpringApplicationBuilder(TicketsApplication.class)
                        .profiles("test")
                        .properties("spring.main.banner-mode=off")
                        .run("--server.port=0", "--ticketing.nats.url=" + nats.url(),
                                "--spring.mongodb.uri=" + TestServers.mongoUri("tickets_readiness"))) {
            int port = ((WebServerApplicationContext) app).getWebServer().getPort();
            RestTestClient service = RestTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port).build();
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                    service.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk());

            nats.stop();
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                    service.get().uri("/actuator/health/readiness").exchange()
                            .expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE));
            service.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();

            nats.start();
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                    service.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk());
        }
    }
}
