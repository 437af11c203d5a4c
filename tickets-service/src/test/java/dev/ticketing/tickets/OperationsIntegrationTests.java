package dev.ticketing.tickets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ticketing.testsupport.NatsServer;
import dev.ticketing.testsupport.TcpProxy;
import dev.ticketing.testsupport.TestServers;
import dev.ticketing.testsupport.service.Instances;
import dev.ticketing.testsupport.service.ServiceInstance;
import dev.ticketing.testsupport.service.ServiceTest;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.actuate.endpoint.CompositeHealthDescriptor;
import org.springframework.boot.health.actuate.endpoint.HealthDescriptor;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.contributor.Status;
import org.springframework.http.HttpStatus;
import org.springframework.test.web.servlet.client.RestTestClient;

/**
 * Probes and API description. The outage tests run an instance of their own, so that only it loses its server:
 * readiness must go DOWN (503) while MongoDB is unreachable and come back UP after; while NATS is unreachable
 * the service stays ready and keeps serving (writes leave their events in the outbox) and only its {@code nats}
 * health goes DOWN. Liveness stays UP throughout (a restart would not bring the server back).
 */
@ServiceTest
class OperationsIntegrationTests {

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @Autowired
    RestTestClient client;
    @Autowired
    HealthEndpoint health;

    @Test
    void livenessAndReadinessAreUpAndReadinessIsMadeOfMongo() {
        assertLive(client);
        await().atMost(PATIENCE).untilAsserted(() -> assertReady(client));

        // Over HTTP the group shows only its overall status; the endpoint itself names what it aggregates.
        assertThat(readinessComponents(health))
                .isEqualTo(Map.of("readinessState", Status.UP, "mongo", Status.UP));
        assertThat(health.healthForPath("nats").getStatus()).isEqualTo(Status.UP);
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
    void readinessGoesDownWhileMongoIsUnreachableAndRecovers(Instances instances) {
        try (NatsServer nats = TestServers.dedicatedNats();
                TcpProxy proxy = Instances.mongoProxy();
                ServiceInstance tickets = instances.startThrough(proxy, nats, "tickets_mongo_outage")) {
            RestTestClient service = tickets.http();
            await().atMost(PATIENCE).untilAsserted(() -> assertReady(service));

            proxy.cut();
            await().atMost(PATIENCE).untilAsserted(() -> {
                assertLive(service);
                assertNotReady(service);
            });
            assertThat(readinessComponents(tickets.bean(HealthEndpoint.class))).containsEntry("mongo", Status.DOWN);

            proxy.restore();
            await().atMost(PATIENCE).untilAsserted(() -> {
                assertLive(service);
                assertReady(service);
            });
        }
    }

    @Test
    void staysReadyAndServesWhileNatsIsUnreachable(Instances instances) {
        try (NatsServer nats = TestServers.dedicatedNats();
                ServiceInstance tickets = instances.start(nats, "tickets_nats_outage")) {
            RestTestClient service = tickets.http();
            HealthEndpoint instanceHealth = tickets.bean(HealthEndpoint.class);
            await().atMost(PATIENCE).untilAsserted(() -> assertReady(service));

            nats.stop();
            await().atMost(PATIENCE).untilAsserted(() -> {
                assertLive(service);
                assertReady(service);
                assertThat(instanceHealth.healthForPath("nats").getStatus()).isEqualTo(Status.DOWN);
            });
            service.get().uri("/api/tickets").exchange().expectStatus().isOk();

            nats.start();
            await().atMost(PATIENCE).untilAsserted(() -> {
                assertLive(service);
                assertReady(service);
                assertThat(instanceHealth.healthForPath("nats").getStatus()).isEqualTo(Status.UP);
            });
        }
    }

    private static void assertLive(RestTestClient service) {
        service.get().uri("/actuator/health/liveness").exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.status").isEqualTo("UP");
    }

    private static void assertReady(RestTestClient service) {
        service.get().uri("/actuator/health/readiness").exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.status").isEqualTo("UP");
    }

    private static void assertNotReady(RestTestClient service) {
        service.get().uri("/actuator/health/readiness").exchange()
                .expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
                .expectBody().jsonPath("$.status").isEqualTo("DOWN");
    }

    /** Each component of the readiness group and its status, as the health endpoint computes them now. */
    private static Map<String, Status> readinessComponents(HealthEndpoint health) {
        HealthDescriptor readiness = health.healthForPath("readiness");
        assertThat(readiness).isInstanceOf(CompositeHealthDescriptor.class);
        return ((CompositeHealthDescriptor) readiness).getComponents().entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, component -> component.getValue().getStatus()));
    }
}
