package dev.ticketing.testsupport;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.mongodb.MongoDBContainer;

/**
 * The one place tests get real servers from. Per JVM it chooses, and logs, where they come from:
 * <ol>
 *   <li><b>external</b> when {@code NATS_URL} (and for MongoDB {@code SPRING_MONGODB_URI}) is set;</li>
 *   <li><b>containers</b> when a Docker engine answers (Testcontainers with {@code nats:2.14-alpine},
 *       {@code mongo:8});</li>
 *   <li><b>embedded</b> otherwise: {@code nats-server} from the PATH (or {@code NATS_SERVER_BIN}) as a child
 *       process, and mongo-java-server in this JVM.</li>
 * </ol>
 * {@code TICKETING_TEST_SERVERS=containers|embedded} forces a mode. When no mode can give a NATS server the
 * call fails with instructions: a test that needs a server never silently skips.
 */
public final class TestServers {

    private static final Logger log = LoggerFactory.getLogger(TestServers.class);

    private static NatsServer sharedNats;
    private static String sharedMongoUri;
    private static Boolean dockerAvailable;

    private TestServers() {
    }

    /** The NATS server shared by every test in this JVM. Do not stop it: use {@link #dedicatedNats()}. */
    public static synchronized NatsServer nats() {
        if (sharedNats == null) {
            Optional<String> external = env("NATS_URL");
            if (external.isPresent() && forcedMode().isEmpty()) {
                sharedNats = new ExternalNatsServer(external.get());
                log.info("Test servers: NATS mode EXTERNAL at {}", external.get());
            } else {
                sharedNats = dedicatedNats();
            }
        }
        return sharedNats;
    }

    /**
     * A NATS server of this test's own, which it may stop, kill and start again; the caller closes it.
     * Never external, since nobody may stop someone else's server.
     */
    public static NatsServer dedicatedNats() {
        ServerMode mode = forcedMode().orElseGet(() -> docker() ? ServerMode.CONTAINERS : ServerMode.EMBEDDED);
        NatsServer server = switch (mode) {
            case CONTAINERS -> ContainerNatsServer.launch();
            case EMBEDDED -> embeddedNats();
            case EXTERNAL -> throw new IllegalStateException("TICKETING_TEST_SERVERS=external cannot start a server");
        };
        log.info("Test servers: NATS mode {} at {}", server.mode(), server.url());
        return server;
    }

    /**
     * A JetStream cluster of three nats-server processes of this test's own, which it may take down node by node;
     * the caller closes it. A cluster always runs as processes (embedded mode), whatever runs the single servers:
     * {@code NATS_URL} is not used, and {@code TICKETING_TEST_SERVERS=containers} or {@code external} is refused.
     */
    public static NatsCluster natsCluster() {
        Optional<ServerMode> forced = forcedMode().filter(mode -> mode != ServerMode.EMBEDDED);
        if (forced.isPresent()) {
            throw new IllegalStateException("TICKETING_TEST_SERVERS=" + forced.get().name().toLowerCase(Locale.ROOT)
                    + " cannot give a NATS cluster: a cluster runs only as three nats-server processes (embedded mode)."
                    + " Unset TICKETING_TEST_SERVERS or set it to embedded, with nats-server installed.");
        }
        Path home = temporaryDirectory("ticketing-nats-cluster-");
        NatsCluster cluster = NatsCluster.create(setup(home, "A NATS cluster runs as three nats-server processes."),
                "ticketing-test");
        removedAtExit(cluster, home);
        cluster.start();
        log.info("Test servers: NATS cluster mode EMBEDDED at {}", cluster.url());
        return cluster;
    }

    /** A MongoDB connection string for {@code database}, on the server shared by this JVM. */
    public static String mongoUri(String database) {
        return mongoServerUri() + "/" + database;
    }

    private static synchronized String mongoServerUri() {
        if (sharedMongoUri == null) {
            Optional<String> external = env("SPRING_MONGODB_URI").or(() -> env("MONGODB_URI"));
            ServerMode mode = forcedMode().orElseGet(() -> external.isPresent() ? ServerMode.EXTERNAL
                    : docker() ? ServerMode.CONTAINERS : ServerMode.EMBEDDED);
            sharedMongoUri = switch (mode) {
                case EXTERNAL -> withoutDatabase(external.orElseThrow(
                        () -> new IllegalStateException("TICKETING_TEST_SERVERS=external needs SPRING_MONGODB_URI")));
                case CONTAINERS -> startMongoContainer();
                case EMBEDDED -> startEmbeddedMongo();
            };
            log.info("Test servers: MongoDB mode {} at {}", mode, sharedMongoUri);
        }
        return sharedMongoUri;
    }

    private static String startMongoContainer() {
        MongoDBContainer mongo = new MongoDBContainer("mongo:8");
        mongo.start();
        return withoutDatabase(mongo.getReplicaSetUrl());
    }

    private static String startEmbeddedMongo() {
        MongoServer server = new MongoServer(new MemoryBackend());
        server.bind(new InetSocketAddress("127.0.0.1", Ports.freeLoopbackPort()));
        Runtime.getRuntime().addShutdownHook(new Thread(server::shutdownNow, "mongo-java-server-cleanup"));
        InetSocketAddress address = server.getLocalAddress();
        return "mongodb://127.0.0.1:" + address.getPort();
    }

    private static String withoutDatabase(String uri) {
        int schemeEnd = uri.indexOf("://") + 3;
        int slash = uri.indexOf('/', schemeEnd);
        return slash < 0 ? uri : uri.substring(0, slash);
    }

    private static ProcessNatsServer embeddedNats() {
        Path home = temporaryDirectory("ticketing-nats-");
        ProcessNatsServer server = ProcessNatsServer.single(setup(home, """
                These tests need a real NATS server with JetStream, and none can be had: no Docker engine answers and \
                NATS_URL is not set (it may name a running server started with -js)."""), "ticketing-test");
        removedAtExit(server, home);
        server.start();
        return server;
    }

    private static ProcessNatsServer.Setup setup(Path home, String why) {
        return new ProcessNatsServer.Setup(ProcessNatsServer.binary(System.getenv(), why), home, home,
                Duration.ofSeconds(60), log::info);
    }

    private static Path temporaryDirectory(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create a directory for nats-server", e);
        }
    }

    /** Closed and its files removed when the JVM exits, whatever the test did. */
    private static void removedAtExit(AutoCloseable server, Path home) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.close();
            } catch (Exception e) {
                log.warn("Could not stop {}", server, e);
            }
            ProcessNatsServer.delete(home);
        }, "nats-server-cleanup"));
    }

    private static Optional<ServerMode> forcedMode() {
        return env("TICKETING_TEST_SERVERS")
                .filter(value -> !value.equalsIgnoreCase("auto"))
                .map(value -> ServerMode.valueOf(value.toUpperCase(Locale.ROOT)));
    }

    private static synchronized boolean docker() {
        if (dockerAvailable == null) {
            dockerAvailable = DockerClientFactory.instance().isDockerAvailable();
            log.info("Test servers: Docker engine {}", dockerAvailable ? "available" : "not available");
        }
        return dockerAvailable;
    }

    private static Optional<String> env(String name) {
        return Optional.ofNullable(System.getenv(name)).filter(value -> !value.isBlank());
    }
}
