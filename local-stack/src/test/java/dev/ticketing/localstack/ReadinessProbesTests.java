package dev.ticketing.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The edge's rotation follows each replica's readiness for as long as the stack runs, as a Kubernetes Service's does. */
class ReadinessProbesTests {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @TempDir
    Path dataDir;

    /** What the replica's readiness endpoint answers. */
    private final AtomicInteger readiness = new AtomicInteger(200);
    private HttpServer endpoint;
    private Console console;
    private ServiceReplica replica;

    @BeforeEach
    void startAReadyReplica() throws Exception {
        // The replica: a process that stays alive, and its readiness endpoint, answered here.
        endpoint = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        endpoint.createContext("/actuator/health/readiness", exchange -> {
            exchange.sendResponseHeaders(readiness.get(), -1);
            exchange.close();
        });
        endpoint.start();
        console = Console.open(new PrintStream(OutputStream.nullOutputStream()), false, dataDir.resolve("logs"));
        replica = new ServiceReplica("tickets-service", endpoint.getAddress().getPort(),
                List.of("sleep", "600"), Map.of(), dataDir.resolve("logs/tickets-service.log"), console, PATIENCE);
        replica.start();
        replica.awaitReady();
    }

    @AfterEach
    void stopIt() {
        replica.stop();
        endpoint.stop(0);
        console.close();
    }

    @Test
    void leavesTheRotationAfterTwoFailedProbesInARowAndRejoinsAtTheFirstSuccess() {
        readiness.set(503);
        replica.probeReadiness(2);
        assertThat(Edge.nextReady(List.of(replica), 0)).as("one failed probe may be a blip").contains(replica);
        replica.probeReadiness(2);
        assertThat(Edge.nextReady(List.of(replica), 0)).isEmpty();

        readiness.set(200);
        replica.probeReadiness(2);
        assertThat(Edge.nextReady(List.of(replica), 0)).contains(replica);
    }

    @Test
    void keepsProbingEveryReplicaWhileTheStackRuns() {
        try (ScheduledExecutorService probes = ServiceReplica.probeEvery(Duration.ofMillis(100), 2, List.of(replica))) {
            readiness.set(503);
            await().atMost(PATIENCE).until(() -> Edge.nextReady(List.of(replica), 0).isEmpty());

            readiness.set(200);
            await().atMost(PATIENCE).until(() -> Edge.nextReady(List.of(replica), 0).isPresent());

            readiness.set(503);
            await().atMost(PATIENCE).until(() -> Edge.nextReady(List.of(replica), 0).isEmpty());
        }
    }
}
