package dev.ticketing.orders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ticketing.testsupport.NatsServer;
import dev.ticketing.testsupport.TcpProxy;
import dev.ticketing.testsupport.TestServers;
import dev.ticketing.testsupport.service.Instances;
import dev.ticketing.testsupport.service.ServiceInstance;
import dev.ticketing.testsupport.service.ServiceTest;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.contributor.Status;
import org.springframework.http.HttpStatus;
import org.springframework.test.web.servlet.client.RestTestClient;

/**
 * Probes and docs. Readiness is made of {@code readinessState} and {@code mongo} (application.yml): it goes down
 * with MongoDB but not with NATS, whose outage the service rides out (its {@code nats} health goes DOWN instead);
 * liveness is the application's own state only, so an outage never restarts a pod.
 */
@ServiceTest
class OperationsIntegrationTests {

    /** Instances of their own start in up to 30 s on a busy CI machine; health follows after. */
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
        assertThat(health.healthForPath("nats").getStatus()).isEqualTo(Status.UP);
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
    void staysReadyWhileNatsIsUnreachableAndItsNatsHealthSaysSo(Instances instances) {
        try (NatsServer nats = TestServers.dedicatedNats();
                ServiceInstance instance = instances.start(nats, "orders_readiness")) {
            RestTestClient service = instance.http();
            HealthEndpoint instanceHealth = instance.bean(HealthEndpoint.class);
            await().atMost(PATIENCE).until(() -> instanceHealth.healthForPath("nats").getStatus().equals(Status.UP));

            nats.stop();
            await().atMost(PATIENCE).failFast("readiness or liveness went down", () -> !live(service) || !ready(service))
                    .until(() -> instanceHealth.healthForPath("nats").getStatus().equals(Status.DOWN));
            readiness(service, HttpStatus.OK, "UP");

            nats.start();
            await().atMost(PATIENCE).failFast("readiness or liveness went down", () -> !live(service) || !ready(service))
                    .until(() -> instanceHealth.healthForPath("nats").getStatus().equals(Status.UP));
        }
    }

    @Test
    void readinessGoesDownWhileMongoIsUnreachableAndRecovers(Instances instances) {
        String database = "orders_readiness_mongo";
        try (NatsServer nats = TestServers.dedicatedNats();
                // Between the instance and MongoDB: cut() drops its connections, the data stays as it was.
                TcpProxy proxy = Instances.mongoProxy();
                ServiceInstance instance = instances.startThrough(proxy, nats, database)) {
            RestTestClient service = instance.http();
            await().atMost(PATIENCE).untilAsserted(() -> readiness(service, HttpStatus.OK, "UP"));

            proxy.cut();
            await().atMost(PATIENCE).failFast("liveness went down", () -> !live(service))
                    .untilAsserted(() -> readiness(service, HttpStatus.SERVICE_UNAVAILABLE, "DOWN"));

            proxy.restore();
            await().atMost(PATIENCE).failFast("liveness went down", () -> !live(service))
                    .untilAsserted(() -> readiness(service, HttpStatus.OK, "UP"));
        }
    }

    private static void readiness(RestTestClient service, HttpStatus status, String mongo) {
        service.get().uri("/actuator/health/readiness").exchange()
                .expectStatus().isEqualTo(status)
                .expectBody()
                .jsonPath("$.components.mongo.status").isEqualTo(mongo);
    }

    private static boolean ready(RestTestClient service) {
        return service.get().uri("/actuator/health/readiness").exchange().returnResult().getStatus().is2xxSuccessful();
    }

    private static boolean live(RestTestClient service) {
        return service.get().uri("/actuator/health/liveness").exchange().returnResult().getStatus().is2xxSuccessful();
    }
}
