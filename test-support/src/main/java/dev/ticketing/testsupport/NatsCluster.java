package dev.ticketing.testsupport;

import static java.util.stream.Collectors.joining;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A JetStream cluster of three {@code nats-server} processes on loopback, each with client, route and
 * monitoring ports and a store of its own, routed to the other two. A test takes any node down and brings it
 * back through {@link #node(String)} ({@link ProcessNatsServer#kill()}, {@code stop()}, {@code pause()},
 * {@code wipeStore()}, {@code start()}); the node keeps its ports. Closing it stops every node and removes
 * every store.
 */
public final class NatsCluster implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(NatsCluster.class);
    private static final String NAME = "ticketing-test";
    private static final int SIZE = 3;

    private final Path root;
    private final List<ProcessNatsServer> nodes;
    private boolean closed;

    private NatsCluster(Path root, List<ProcessNatsServer> nodes) {
        this.root = root;
        this.nodes = List.copyOf(nodes);
    }

    /** Starts three nodes and returns once each of them is current with an elected JetStream meta leader. */
    static NatsCluster launch(Path binary) {
        Path root = ProcessNatsServer.temporaryDirectory("ticketing-nats-cluster-");
        List<Integer> ports = Ports.freeLoopbackPorts(3 * SIZE);
        List<Integer> routePorts = ports.subList(0, SIZE);
        List<ProcessNatsServer> nodes = new ArrayList<>();
        for (int i = 0; i < SIZE; i++) {
            String name = "n" + (i + 1);
            int routePort = routePorts.get(i);
            String routes = routePorts.stream().filter(port -> port != routePort)
                    .map(port -> "nats-route://127.0.0.1:" + port).collect(joining(","));
            nodes.add(ProcessNatsServer.clusterNode(binary, root.resolve(name), name,
                    ports.get(SIZE + i), ports.get(2 * SIZE + i),
                    List.of("--cluster_name", NAME, "--cluster", "nats://127.0.0.1:" + routePort, "--routes", routes)));
        }
        NatsCluster cluster = new NatsCluster(root, nodes);
        Runtime.getRuntime().addShutdownHook(new Thread(cluster::close, "nats-cluster-cleanup"));
        cluster.start();
        return cluster;
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
    public ProcessNatsServer node(String name) {
        return nodes.stream().filter(node -> node.name().equals(name)).findFirst()
                .orElseThrow(() -> new NoSuchElementException("No node named " + name + " in " + this));
    }

    /**
     * Starts every node that is down (and resumes every paused one), then waits until each node answers a plain
     * {@code /healthz}: JetStream is enabled, a meta leader is elected and the node is current with it. The nodes
     * are started together because no node is ready before a majority runs.
     */
    public synchronized void start() {
        nodes.forEach(ProcessNatsServer::spawn);
        nodes.forEach(ProcessNatsServer::start);
        log.info("NATS cluster {} is ready at {}", NAME, url());
    }

    @Override
    public synchronized void close() {
        // Called by the test and again by the shutdown hook: the second call has nothing left to do.
        if (closed) {
            return;
        }
        closed = true;
        nodes.forEach(ProcessNatsServer::close);
        try {
            Files.deleteIfExists(root);
        } catch (IOException e) {
            log.warn("Could not remove {}", root, e);
        }
    }

    @Override
    public String toString() {
        return "NATS cluster " + NAME + " at " + url();
    }
}
