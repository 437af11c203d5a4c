package dev.ticketing.orders;

import static org.awaitility.Awaitility.await;

import com.mongodb.ServerAddress;
import dev.ticketing.testsupport.NatsServer;
import dev.ticketing.testsupport.TcpProxy;
import dev.ticketing.testsupport.TestServers;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.test.web.servlet.client.RestTestClient;

/**
 * Probes and docs. Readiness is made of {@code readinessState}, {@code mongo} and {@code nats} (application.yml) and
 * goes down with either server; liveness is the application's own state only, so an outage never restarts a pod.
 */
@OrdersServiceTest
class OperationsIntegrationTests {

    /** Instances of their own start in up to 30 s on a busy CI machine; health follows after. */
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @Autowired
    RestTestClient client;

    @Test
    void livenessAndReadinessAreUpAndIncludeNatsAndMongo() {
        client.get().uri("/actuator/health/liveness").exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.status").isEqualTo("UP");
        await().atMost(PATIENCE).untilAsserted(() -> client.get().uri("/actuator/health/readiness").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.status").isEqualTo("UP")
                .jsonPath("$.components.readinessState.status").isEqualTo("UP")
                .jsonPath("$.components.mongo.status").isEqualTo("UP")
                .jsonPath("$.components.nats.status").isEqualTo("UP"));
    }

    @Test
    void openApiDescribesTheRoutesAndTheErrorSchema() {
        client.get().uri("/v3/api-docs").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.paths['/api/orders'].get").exists()
                .jsonPath("$.paths['/api/orders'].post").exists()
                .jsonPath("$.paths['/api/orders/{id}'].get").exists()
                .jsonPath("$.paths['/api/orders/{id}'].delete").exists()
                .jsonPath("$.components.schemas.Problem.properties.errors").exists();
    }

    @Test
    void readinessGoesDownWhileNatsIsUnreachableAndRecovers() {
        try (NatsServer nats = TestServers.dedicatedNats();
                OrdersInstance instance = OrdersInstance.start(nats.url(), "orders_readiness")) {
            RestTestClient service = instance.http();
            await().atMost(PATIENCE).untilAsserted(() -> readiness(service, HttpStatus.OK, "UP", "UP"));

            nats.stop();
            await().atMost(PATIENCE).failFast("liveness went down", () -> !live(service))
                    .untilAsserted(() -> readiness(service, HttpStatus.SERVICE_UNAVAILABLE, "UP", "DOWN"));

            nats.start();
            await().atMost(PATIENCE).failFast("liveness went down", () -> !live(service))
                    .untilAsserted(() -> readiness(service, HttpStatus.OK, "UP", "UP"));
        }
    }

    @Test
    void readinessGoesDownWhileMongoIsUnreachableAndRecovers() {
        String database = "orders_readiness_mongo";
        ServerAddress server = OrdersInstance.mongoServer(database);
        try (NatsServer nats = TestServers.dedicatedNats();
                // Between the instance and MongoDB: cut() drops its connections, the data stays as it was.
                TcpProxy proxy = TcpProxy.to(server.getHost(), server.getPort());
                OrdersInstance instance = OrdersInstance.startWithMongo(nats.url(),
                        OrdersInstance.mongoUriThrough(proxy, database))) {
            RestTestClient service = instance.http();
            await().atMost(PATIENCE).untilAsserted(() -> readiness(service, HttpStatus.OK, "UP", "UP"));

            proxy.cut();
            await().atMost(PATIENCE).failFast("liveness went down", () -> !live(service))
                    .untilAsserted(() -> readiness(service, HttpStatus.SERVICE_UNAVAILABLE, "DOWN", "UP"));

            proxy.restore();
            await().atMost(PATIENCE).failFast("liveness went down", () -> !live(service))
                    .untilAsserted(() -> readiness(service, HttpStatus.OK, "UP", "UP"));
        }
    }

    private static void readiness(RestTestClient service, HttpStatus status, String mongo, String nats) {
        service.get().uri("/actuator/health/readiness").exchange()
                .expectStatus().isEqualTo(status)
                .expectBody()
                .jsonPath("$.components.mongo.status").isEqualTo(mongo)
                .jsonPath("$.components.nats.status").isEqualTo(nats);
    }

    private static boolean live(RestTestClient service) {
        return service.get().uri("/actuator/health/liveness").exchange().returnResult().getStatus().is2xxSuccessful();
    }
}
