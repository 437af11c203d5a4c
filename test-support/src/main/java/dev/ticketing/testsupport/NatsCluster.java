package dev.ticketing.testsupport;

import static java.util.stream.Collectors.joining;

import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A JetStream cluster of three {@code nats-server} processes on loopback, named {@code n1} to {@code n3}, each with
 * client, route and monitoring ports and a store of its own, routed to the other two. Any node can be taken down
 * and brought back through {@link #node(String)}; it keeps its ports.
 */
public final class NatsCluster implements AutoCloseable {

    public static final int SIZE = 3;

    private final String name;
    private final List<ProcessNatsServer> nodes;

    private NatsCluster(String name, List<ProcessNatsServer> nodes) {
        this.name = name;
        this.nodes = List.copyOf(nodes);
    }

    /** Three nodes called {@code nats-server-1} ... (their log files), stores {@code <store>/n1} ...; not started. */
    public static NatsCluster create(ProcessNatsServer.Setup setup, String name) {
        List<Integer> ports = Ports.freeLoopbackPorts(3 * SIZE);
        List<Integer> routePorts = ports.subList(0, SIZE);
        List<ProcessNatsServer> nodes = new ArrayList<>();
        for (int i = 0; i < SIZE; i++) {
            String serverName = "n" + (i + 1);
            int routePort = routePorts.get(i);
            String routes = routePorts.stream().filter(port -> port != routePort)
                    .map(port -> "nats-route://127.0.0.1:" + port).collect(joining(","));
            nodes.add(new ProcessNatsServer(setup, "nats-server-" + (i + 1), serverName,
                    setup.store().resolve(serverName), ports.get(SIZE + i), ports.get(2 * SIZE + i),
                    List.of("--cluster_name", name, "--cluster", "nats://127.0.0.1:" + routePort, "--routes", routes)));
        }
        return new NatsCluster(name, nodes);
    }

    public String name() {
        return name;
    }

    /** The client URLs joined by commas, the form {@code NATS_URL} and jnats' {@code Options.server} take. */
    public String url() {
        return String.join(",", urls());
    }

    /** The client URL of every node. */
    public List<String> urls() {
        return nodes.stream().map(ProcessNatsServer::url).toList();
    }

    /** The nodes, in the order of their names ({@code n1}, {@code n2}, {@code n3}). */
    public List<ProcessNatsServer> nodes() {
        return nodes;
    }

    /** The node with this server name, the name JetStream gives as a stream's or the meta group's leader. */
    public ProcessNatsServer node(String serverName) {
        return nodes.stream().filter(node -> node.name().equals(serverName)).findFirst()
                .orElseThrow(() -> new NoSuchElementException("No node named " + serverName + " in " + this));
    }

    /**
     * Starts every node that is down (and resumes every paused one), then waits until each answers a plain
     * {@code /healthz}. The nodes are started together because none is ready before a majority runs.
     */
    public synchronized void start() {
        nodes.forEach(ProcessNatsServer::spawn);
        nodes.forEach(ProcessNatsServer::awaitReady);
    }

    /** Stops the three at once, so that a stop stays within its bound. */
    @Override
    public void close() {
        try (ExecutorService stoppers = Executors.newVirtualThreadPerTaskExecutor()) {
            nodes.forEach(node -> stoppers.submit(node::close));
        }
    }

    @Override
    public String toString() {
        return "NATS cluster " + name + " at " + url();
    }
}
