package dev.ticketing.orders;

import static org.awaitility.Awaitility.await;

import dev.ticketing.testsupport.NatsServer;
import dev.ticketing.testsupport.TestServers;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.test.web.servlet.client.RestTestClient;

@OrdersServiceTest
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
