package dev.ticketing.benchmarks;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import dev.ticketing.localstack.LocalStack;
import dev.ticketing.localstack.ServiceReplica;
import dev.ticketing.localstack.StackSettings;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * One running stack of the benchmark and the MongoDB it owns. The benchmark starts the MongoDB-compatible
 * server itself (mongo-java-server, in memory, in this JVM, as the tests use it) rather than letting the stack
 * embed its H2-backed one: the benchmark reads the orders replica straight from it, and each stack needs a
 * server of its own (the stack names the databases, so two stacks on one server would share them).
 */
final class BenchStack implements AutoCloseable {

    static final String TICKETS = "tickets-service";
    static final String ORDERS = "orders-service";
    static final String AUTH = "auth-service";

    private final String name;
    private final MongoServer mongo;
    private final String mongoUri;
    private final LocalStack stack;

    private BenchStack(String name, MongoServer mongo, String mongoUri, LocalStack stack) {
        this.name = name;
        this.mongo = mongo;
        this.mongoUri = mongoUri;
        this.stack = stack;
    }

    /**
     * Starts a MongoDB-compatible server, then the stack on it (NATS, the services found under
     * {@code checkout}, the edge on a free port).
     */
    static BenchStack start(String name, Path checkout, Path ingressManifests, Path dataDir, String jwtKey,
            int ordersReplicas, List<String> jvmOptions, Map<String, String> environment) {
        MongoServer mongo = new MongoServer(new MemoryBackend());
        try {
            // Port 0: the server binds a free loopback port and reports it.
            mongo.bind(new InetSocketAddress("127.0.0.1", 0));
            String uri = "mongodb://127.0.0.1:" + mongo.getLocalAddress().getPort();
            StackSettings.Builder settings = StackSettings.builder(checkout, dataDir)
                    .port(0)
                    .jwtKey(jwtKey)
                    .mongoUri(uri)
                    .ordersReplicas(ordersReplicas)
                    .ingressManifests(ingressManifests)
                    .serviceJvmOptions(jvmOptions)
                    .echoLogs(false);
            environment.forEach(settings::serviceEnvironment);
            return new BenchStack(name, mongo, uri, LocalStack.start(settings.build()));
        } catch (RuntimeException e) {
            mongo.shutdownNow();
            throw e;
        }
    }

    String name() {
        return name;
    }

    URI edge() {
        return stack.edgeUri();
    }

    String natsUrl() {
        return stack.nats().url();
    }

    /** The server without a database: the stack gives each service its own ({@code auth}, {@code tickets}, {@code orders}). */
    String mongoUri() {
        return mongoUri;
    }

    List<ServiceReplica> replicas(String service) {
        return stack.service(service).replicas();
    }

    /** Process ids of a service's replicas, whose CPU time a phase charges to the system under test. */
    List<Long> pids(String service) {
        List<Long> pids = new ArrayList<>();
        replicas(service).forEach(replica -> pids.add(replica.pid()));
        return pids;
    }

    /** Like {@link #pids(String)}, but empty for a service this stack does not run. */
    List<Long> pidsIfRunning(String service) {
        return stack.services().stream().anyMatch(group -> group.name().equals(service)) ? pids(service) : List.of();
    }

    /** The nats-server's process id (the stack runs its own). */
    List<Long> natsPids() {
        OptionalLong nats = stack.nats().pid();
        return nats.isPresent() ? List.of(nats.getAsLong()) : List.of();
    }

    @Override
    public void close() {
        try {
            stack.close();
        } finally {
            mongo.shutdownNow();
        }
    }
}
