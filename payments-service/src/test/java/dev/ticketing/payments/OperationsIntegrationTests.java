package dev.ticketing.payments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ticketing.testsupport.service.ServiceTest;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.contributor.Status;
import org.springframework.test.web.servlet.client.RestTestClient;

/** Probes and docs, as every service has them: readiness is made of {@code readinessState} and {@code mongo}. */
@ServiceTest
class OperationsIntegrationTests {

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @Autowired
    RestTestClient client;
    @Autowired
    HealthEndpoint health;

    @Test
    void livenessAndReadinessAreUpAndReadinessIsMadeOfMongo() {
        client.get().uri("/actuator/health/liveness").exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.status").isEqualTo("UP");
        await().atMost(PATIENCE).untilAsserted(() -> client.get().uri("/actuator/health/readiness").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.status").isEqualTo("UP")
                .jsonPath("$.components.readinessState.status").isEqualTo("UP")
                .jsonPath("$.components.mongo.status").isEqualTo("UP")
                .jsonPath("$.components.nats").doesNotExist());
        await().atMost(PATIENCE).until(() -> health.healthForPath("nats").getStatus().equals(Status.UP));
        assertThat(health.healthForPath("outbox").getStatus()).isEqualTo(Status.UP);
    }

    @Test
    void openApiDescribesTheRoutesAndTheErrorSchema() {
        client.get().uri("/v3/api-docs").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.paths['/api/payments'].post").exists()
                .jsonPath("$.paths['/api/payments/{id}'].get").exists()
                .jsonPath("$.components.schemas.Problem.properties.errors").exists();
    }
}
