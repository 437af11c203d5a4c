package dev.ticketing.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ticketing.localstack.ServiceReplica;
import dev.ticketing.testsupport.ProcessNatsServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Events between the services under load and under faults, on one stack with two orders-service replicas
 * sharing each durable consumer (the queue group). Clients talk only to the edge; the tests use the
 * launcher just to break things: stop NATS, kill a replica. Each test leaves the stack whole again.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EventFlowIntegrationTests {

    private static final int CLIENTS = 16;
    private static final Duration CONVERGENCE = Duration.ofSeconds(90);

    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private TestStack stack;
    private EdgeClient edge;
    private SystemView view;
    private User seller;
    private User buyer;

    @BeforeAll
    void startStack() {
        // Tickets and orders tell this story; payments-service would only add a JVM on the shared cores.
        stack = TestStack.start("event-flow", settings -> settings.ordersReplicas(2)
                .services("auth-service", "tickets-service", "orders-service"));
        edge = stack.edge();
        view = new SystemView(edge, CLIENTS);
        seller = edge.signUp("seller-" + run + "@example.com", "password");
        buyer = edge.signUp("buyer-" + run + "@example.com", "password");
    }

    @AfterAll
    void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    @Order(1)
    void theCoursesConcurrencyExperimentConvergesOnEveryTicketInBothServices() {
        ConcurrencyExperiment.Result result = new ConcurrencyExperiment(edge, seller, buyer, 200, CLIENTS, CONVERGENCE)
                .run();

        // The run() awaits are the assertions; what remains is to report how long convergence took.
        report("concurrency-experiment.txt", result.summary());
        assertThat(result.tickets()).isEqualTo(200);
    }

    @Test
    @Order(2)
    void natsStoppedMidRunTheServicesRecoverByThemselvesAndEveryChangeReachesOrders() {
        ProcessNatsServer nats = stack.stack().nats();
        WriteRun writes = new WriteRun(edge, seller, "Outage " + run, 80).start();

        await("some tickets written with NATS up").atMost(CONVERGENCE).until(() -> writes.completed() >= 10);
        nats.stop();
        int atStop = writes.completed();
        // At least 3 s without NATS (the clients notice, the outboxes fill up) and 20 more tickets written.
        await("more tickets written while NATS is down").pollDelay(Duration.ofSeconds(3)).atMost(CONVERGENCE)
                .failFast("the writes failed", () -> writes.run().isCompletedExceptionally())
                .until(() -> writes.completed() >= atStop + 20);
        assertThat(nats.isRunning()).isFalse();
        nats.start();
        List<String> ids = writes.run().orTimeout(CONVERGENCE.toSeconds(), TimeUnit.SECONDS).join();

        view.placeOrders(buyer, ids, CONVERGENCE);
        await("orders-service to have every change").atMost(CONVERGENCE).pollInterval(Duration.ofMillis(200))
                .until(() -> view.agree(buyer, ids, WriteRun.FINAL_PRICE));
    }

    @Test
    @Order(3)
    void aReplicaKilledWithSigkillWhileEventsFlowTheOtherFinishesTheWorkAndNothingIsLost() {
        ServiceReplica victim = stack.stack().service("orders-service").replicas().getFirst();
        WriteRun writes = new WriteRun(edge, seller, "Kill " + run, 40).start();
        try {
            await("events flowing").atMost(CONVERGENCE).until(() -> writes.completed() >= 10);
            victim.kill();
            assertThat(victim.isAlive()).isFalse();
            List<String> ids = writes.run().orTimeout(CONVERGENCE.toSeconds(), TimeUnit.SECONDS).join();

            // Only the surviving replica answers now, and it must have every change, including the events the
            // killed one had pulled but not acknowledged (redelivered after the ack wait).
            view.placeOrders(buyer, ids, CONVERGENCE);
            await("the surviving replica to have every change").atMost(CONVERGENCE).pollInterval(Duration.ofMillis(200))
                    .until(() -> view.agree(buyer, ids, WriteRun.FINAL_PRICE));
        } finally {
            victim.start();
            victim.awaitReady();
        }
    }

    @Test
    @Order(4)
    void ordersPlacedThroughBothReplicasAreListedInTheOrderTheyWerePlaced() {
        // The edge alternates between the two replicas, so neighbouring orders come from different processes,
        // mostly in the same second: their ObjectIds then order by process bytes, not by creation.
        User shopper = edge.signUp("shopper-" + run + "@example.com", "password");
        List<String> placed = new ArrayList<>();
        for (int n = 0; n < 8; n++) {
            Reply ticket = edge.post("/api/tickets", Map.of("title", "Listed " + n, "price", 10 + n), seller);
            assertThat(ticket.status()).isEqualTo(201);
            placed.add(view.placeOrder(shopper, ticket.id(), CONVERGENCE).id());
        }

        Reply listed = edge.get("/api/orders", shopper);
        assertThat(listed.status()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        listed.body().forEach(order -> ids.add(order.path("id").asString()));
        assertThat(ids).containsExactlyElementsOf(placed);
    }

    private static void report(String file, String text) {
        System.out.println("[system-tests] " + text);
        try {
            Path target = Path.of("target", file);
            Files.createDirectories(target.getParent());
            Files.writeString(target, text + System.lineSeparator(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
