package dev.ticketing.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ticketing.testsupport.ProcessNatsServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The stack with {@code NATS_NODES=3}: a JetStream cluster of three nodes, the services' streams replicated
 * three times, two orders-service replicas. The course's concurrency experiment runs through the edge while
 * the leader of the TICKETING stream is killed (SIGKILL) and later started again on its ports and store; the
 * experiment's own awaits are the assertions: every ticket converges in both services.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NatsClusterStackIntegrationTests {

    private static final int TICKETS = 100;
    private static final int CLIENTS = 16;
    private static final Duration CONVERGENCE = Duration.ofSeconds(90);
    private static final String STREAM = "TICKETING";
    private static final HttpClient MONITOR = HttpClient.newHttpClient();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private TestStack stack;
    private EdgeClient edge;

    @BeforeAll
    void startStack() {
        // Tickets and orders tell this story; payments-service would only add a JVM on the shared cores.
        stack = TestStack.start("nats-cluster", settings -> settings.natsNodes(3).ordersReplicas(2)
                .services("auth-service", "tickets-service", "orders-service"));
        edge = stack.edge();
    }

    @AfterAll
    void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void theConcurrencyExperimentConvergesWhileTheStreamLeaderIsKilledAndStartedAgain() {
        List<ProcessNatsServer> nodes = stack.stack().natsNodes();
        assertThat(nodes).hasSize(3);
        User seller = edge.signUp("seller-" + run + "@example.com", "password");
        User buyer = edge.signUp("buyer-" + run + "@example.com", "password");
        ConcurrencyExperiment experiment = new ConcurrencyExperiment(edge, seller, buyer, TICKETS, CLIENTS, CONVERGENCE);

        CompletableFuture<ConcurrencyExperiment.Result> running = CompletableFuture.supplyAsync(experiment::run);
        await("some tickets written with three nodes up").atMost(CONVERGENCE)
                .failFast("the experiment failed", running::isCompletedExceptionally)
                .until(() -> experiment.ticketsWritten() >= 20);
        ProcessNatsServer leader = node(nodes, streamLeader(nodes.getFirst()).orElseThrow());
        leader.kill();
        assertThat(leader.isRunning()).isFalse();

        List<ProcessNatsServer> survivors = nodes.stream().filter(node -> node != leader).toList();
        await("a new leader of " + STREAM + " among the other two").atMost(CONVERGENCE)
                .until(() -> streamLeader(survivors.getFirst()).filter(name -> !name.equals(leader.name()))
                        .isPresent());
        await("more tickets written with a node down").atMost(CONVERGENCE)
                .failFast("the experiment failed", running::isCompletedExceptionally)
                .until(() -> experiment.ticketsWritten() >= 60);
        leader.start();

        ConcurrencyExperiment.Result result = running.orTimeout(4 * CONVERGENCE.toSeconds(), TimeUnit.SECONDS).join();
        System.out.println("[system-tests] with " + leader.name() + " (the " + STREAM + " leader) killed after 20 "
                + "tickets and started again after 60: " + result.summary());
        assertThat(result.tickets()).isEqualTo(TICKETS);
    }

    private static ProcessNatsServer node(List<ProcessNatsServer> nodes, String serverName) {
        return nodes.stream().filter(node -> node.name().equals(serverName)).findFirst()
                .orElseThrow(() -> new AssertionError("No NATS node is named " + serverName));
    }

    /** The stream's leader as the node's monitoring endpoint reports it; empty while there is none. */
    private static Optional<String> streamLeader(ProcessNatsServer node) {
        URI jsz = node.monitoringUri().resolve("/jsz?streams=true");
        try {
            String body = MONITOR.send(HttpRequest.newBuilder(jsz).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            for (JsonNode account : JSON.readTree(body).path("account_details")) {
                for (JsonNode stream : account.path("stream_detail")) {
                    String leader = stream.path("cluster").path("leader").asString("");
                    if (stream.path("name").asString("").equals(STREAM) && !leader.isEmpty()) {
                        return Optional.of(leader);
                    }
                }
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
