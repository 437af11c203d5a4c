package dev.ticketing.localstack;

import static java.util.stream.Collectors.joining;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * {@code NATS_NODES=3}: a JetStream cluster of three {@code nats-server} nodes on loopback, each with its own
 * client, route and monitoring ports and its own store ({@code <DATA_DIR>/nats/n1} ...), routed to the other
 * two. The services get every client URL in {@code NATS_URL} and keep their streams on all three nodes.
 */
final class NatsCluster {

    static final String NAME = "ticketing-local";
    static final int SIZE = 3;

    private final List<NatsServer> nodes;

    private NatsCluster(List<NatsServer> nodes) {
        this.nodes = List.copyOf(nodes);
    }

    static NatsCluster create(Path storeRoot, Path logsDir, Console console, ChildProcesses children,
            Duration readyTimeout, Path binary) {
        List<Integer> routePorts = new ArrayList<>();
        for (int i = 0; i < SIZE; i++) {
            routePorts.add(Ports.freeLoopbackPort());
        }
        List<NatsServer> nodes = new ArrayList<>();
        for (int i = 0; i < SIZE; i++) {
            String name = "n" + (i + 1);
            int routePort = routePorts.get(i);
            String routes = routePorts.stream().filter(port -> port != routePort)
                    .map(port -> "nats-route://127.0.0.1:" + port).collect(joining(","));
            nodes.add(NatsServer.clusterNode(NatsServer.COMPONENT + "-" + (i + 1), name, storeRoot.resolve(name),
                    Ports.freeLoopbackPort(), List.of("--cluster_name", NAME, "--cluster",
                            "nats://127.0.0.1:" + routePort, "--routes", routes),
                    logsDir, console, children, readyTimeout, binary));
        }
        return new NatsCluster(nodes);
    }

    List<NatsServer> nodes() {
        return nodes;
    }

    /** The client URLs joined by commas, the form {@code NATS_URL} takes. */
    String url() {
        return nodes.stream().map(NatsServer::url).collect(joining(","));
    }

    /** Starts the three processes together (no node is ready before a majority runs), then waits for each. */
    void start() {
        nodes.forEach(NatsServer::spawn);
        nodes.forEach(NatsServer::awaitReady);
    }

    /** Stops the three at once, so that the stack's stop stays within its bound. */
    void close() {
        try (ExecutorService stoppers = Executors.newVirtualThreadPerTaskExecutor()) {
            nodes.forEach(node -> stoppers.submit(node::close));
        }
    }
}
