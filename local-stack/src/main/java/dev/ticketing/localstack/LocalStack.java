package dev.ticketing.localstack;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import dev.ticketing.testsupport.NatsCluster;
import dev.ticketing.testsupport.Ports;
import dev.ticketing.testsupport.ProcessNatsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.Collectors;
import org.h2.mvstore.MVStore;
import org.jspecify.annotations.Nullable;

/**
 * The whole system on one machine: NATS (JetStream), a MongoDB-compatible server, every service's Spring Boot jar
 * as child processes, and an edge routing like the Kubernetes Ingress. {@code ./run-local.sh} runs {@link #main};
 * the system tests use it as a library. Closing it (or the JVM exiting, or SIGTERM/SIGINT) stops everything in
 * order; a launcher killed with SIGKILL takes its children with it (see test-support's {@code ChildProcess}).
 */
public final class LocalStack implements AutoCloseable {

    /** A running service: its replicas, which the edge takes in turn. */
    public record Service(String name, List<ServiceReplica> replicas) {
    }

    /** A service as the launcher runs it: module and jar name, the database it owns, variables only it gets. */
    private record Module(String name, String database, int replicas, Map<String, String> environment) {

        Module with(String variable, String value) {
            Map<String, String> more = new LinkedHashMap<>(environment);
            more.put(variable, value);
            return new Module(name, database, replicas, Map.copyOf(more));
        }
    }

    static final Duration READY_TIMEOUT = Duration.ofMinutes(3);
    /** The services' bean definitions made at build time (their process-aot): no scanning or conditions at start. */
    static final String SPRING_AOT = "-Dspring.aot.enabled=true";

    private final StackSettings settings;
    /** One stack per data dir, which holds a NATS store and a MongoDB file; the OS releases it however we die. */
    private final FileChannel dataDirLock;
    private final Console console;
    private final Thread shutdownHook = new Thread(this::close, "local-stack-shutdown");
    /** Complete before the edge starts, which reads it from its own threads. */
    private volatile Map<String, Service> services = Map.of();
    private List<ProcessNatsServer> natsNodes = List.of();
    private @Nullable NatsCluster cluster;
    private String natsUrl = "";
    private @Nullable MongoServer mongo;
    private @Nullable H2Backend mongoStore;
    private @Nullable Edge edge;
    private @Nullable ScheduledExecutorService probes;
    private volatile boolean closed;

    private LocalStack(StackSettings settings, FileChannel dataDirLock, Console console) {
        this.settings = settings;
        this.dataDirLock = dataDirLock;
        this.console = console;
    }

    /** {@code ./run-local.sh}: the stack of the environment's settings, up until Ctrl-C or SIGTERM. */
    public static void main(String[] args) throws InterruptedException {
        try {
            start(StackSettings.fromEnvironment(System.getenv(), Path.of("")));
        } catch (IllegalStateException e) {
            System.err.println("[local-stack] " + e.getMessage());
            System.exit(1);
        }
        new CountDownLatch(1).await();
    }

    /** Starts everything and returns once every component is ready; on failure stops what it started. */
    public static LocalStack start(StackSettings settings) {
        FileChannel lock = lock(settings.dataDir());
        LocalStack stack;
        try {
            stack = new LocalStack(settings, lock, Console.open(System.out, settings.echoLogs(), settings.logsDir()));
        } catch (RuntimeException e) {
            closeQuietly(lock);
            throw e;
        }
        Runtime.getRuntime().addShutdownHook(stack.shutdownHook);
        try {
            stack.startComponents();
            return stack;
        } catch (RuntimeException e) {
            boolean interrupted = stack.closed;
            stack.close();
            throw interrupted ? new IllegalStateException("Stopped during start-up", e) : e;
        }
    }

    private static FileChannel lock(Path dataDir) {
        try {
            Files.createDirectories(dataDir);
            FileChannel channel = FileChannel.open(dataDir.resolve(".lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
            try {
                if (channel.tryLock() != null) {
                    return channel;
                }
            } catch (OverlappingFileLockException e) {
                // held by another stack in this JVM
            }
            channel.close();
            throw new IllegalStateException("Another local stack is running with DATA_DIR=" + dataDir
                    + ". Stop it first (Ctrl-C in its terminal), or use another DATA_DIR and PORT.");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot lock " + dataDir.resolve(".lock"), e);
        }
    }

    private void startComponents() {
        long begin = System.nanoTime();
        console.status("data dir " + settings.dataDir() + " (logs in " + settings.logsDir() + ")");
        IngressRoutes routes = IngressRoutes.read(settings.ingressManifests());
        List<Module> present = present();
        List<String> running = present.stream().map(Module::name).toList();
        console.status("routes from " + routes.routes().stream().map(route -> settings.repositoryRoot().relativize(
                route.source())).distinct().map(Path::toString).collect(Collectors.joining(", ")) + ": "
                + routes.routes().stream().map(route -> route + (running.contains(route.service()) ? ""
                        : " (not run locally: 503)")).collect(Collectors.joining(", ")));
        DevelopmentKey key = DevelopmentKey.resolve(settings.jwtKey(), settings.dataDir());
        console.status("JWT key from " + key.origin());
        if (running.contains("payments-service")) {
            console.status(stripeKey().isBlank()
                    ? "payments-service charges cards through its sandbox provider (no STRIPE_KEY: test tokens "
                            + "such as tok_visa, no network)"
                    : "payments-service charges cards through Stripe (STRIPE_KEY is set)");
        }

        // The jars' launch (their start-up caches: hashing, on a first run the training) needs neither NATS nor
        // MongoDB: it goes on while they start.
        CompletableFuture<Map<String, List<String>>> launching = CompletableFuture.supplyAsync(
                () -> launchArguments(present));
        checkStillStarting();
        startNats();
        checkStillStarting();
        String mongoUri = settings.mongoUri();
        if (mongoUri != null) {
            console.status("mongodb: using " + mongoUri.replaceAll("//[^@/]*@", "//***@"));
        } else {
            mongoUri = startMongo();
        }
        checkStillStarting();
        Map<String, List<String>> launches = launched(launching);
        // The client calls the APIs through the edge, so the edge's port is known before the services are made.
        int edgePort = settings.port() == 0 ? Ports.freeLoopbackPort() : settings.port();
        Map<String, Service> started = new LinkedHashMap<>();
        for (Module module : present) {
            Module configured = module.name().equals("client") ? module.with("TICKETING_CLIENT_APIURL",
                    "http://127.0.0.1:" + edgePort) : module;
            started.put(module.name(), new Service(module.name(), replicas(configured, launches.get(module.name()),
                    mongoUri, key.value())));
        }
        services = started;

        checkStillStarting();
        edge = Edge.start(edgePort, routes, services, settings.logsDir().resolve("edge.log"));
        console.status("edge listening on " + edge.uri() + " (requests logged to logs/edge.log)");
        List<ServiceReplica> all = replicas();
        for (ServiceReplica replica : all) {
            checkStillStarting();
            replica.start();
            if (!settings.parallelStart()) {
                replica.awaitReady();
            }
        }
        awaitAll(all);
        // The readiness probe of infra/k8s: every 5 seconds, out of the rotation after 2 failures in a row.
        probes = ServiceReplica.probeEvery(Duration.ofSeconds(5), 2, all);
        console.status(String.format("Ticketing is up at %s (in %.1f s). Ctrl-C stops everything.", edge.uri(),
                (System.nanoTime() - begin) / 1e9));
    }

    private static Map<String, List<String>> launched(CompletableFuture<Map<String, List<String>>> launching) {
        try {
            return launching.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    /** Ctrl-C during start-up runs {@link #close()} on the hook's thread: nothing more is started after that. */
    private void checkStillStarting() {
        if (closed) {
            throw new IllegalStateException("Stopped during start-up");
        }
    }

    private void startNats() {
        if (settings.natsUrl() != null) {
            natsUrl = settings.natsUrl();
            console.status("nats: using NATS_URL=" + natsUrl);
            return;
        }
        ProcessNatsServer.Setup setup = new ProcessNatsServer.Setup(ProcessNatsServer.binary(System.getenv(),
                "NATS_URL is not set, so the stack runs NATS itself, but"), settings.dataDir().resolve("nats"),
                settings.logsDir(), READY_TIMEOUT, console);
        if (settings.natsNodes() == NatsCluster.SIZE) {
            long begin = System.nanoTime();
            cluster = NatsCluster.create(setup, "ticketing-local");
            natsNodes = cluster.nodes();
            natsUrl = cluster.url();
            cluster.start();
            console.status(String.format("NATS cluster %s is up: %d nodes at %s, streams replicated %2$d times "
                    + "(in %.1f s)", cluster.name(), NatsCluster.SIZE, natsUrl, (System.nanoTime() - begin) / 1e9));
        } else {
            ProcessNatsServer nats = ProcessNatsServer.single(setup, "ticketing-local");
            natsNodes = List.of(nats);
            natsUrl = nats.url();
            nats.start();
        }
    }

    /**
     * mongo-java-server in this JVM on a free loopback port, its data in one H2 MVStore file that survives restarts.
     * Like the tests' servers it has no transactions; the services need none.
     */
    private String startMongo() {
        Path file = settings.dataDir().resolve("mongo").resolve("ticketing.mv");
        try {
            Files.createDirectories(file.getParent());
            MVStore store = new MVStore.Builder().fileName(file.toString()).open();
            // MVStore writes changes in the background; a short delay bounds what a launcher killed with
            // SIGKILL loses to the last tenth of a second (the default second lost acknowledged updates).
            store.setAutoCommitDelay(100);
            mongoStore = new H2Backend(store);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create " + file.getParent(), e);
        } catch (RuntimeException e) {
            throw new IllegalStateException("Cannot open the MongoDB data file " + file + " (" + e.getMessage()
                    + "). If it is damaged, delete it to start with empty databases.", e);
        }
        mongo = new MongoServer(mongoStore);
        mongo.bind("127.0.0.1", 0);
        String uri = "mongodb://127.0.0.1:" + mongo.getLocalAddress().getPort();
        console.status("mongodb (embedded, data in " + file.getParent() + ") ready at " + uri);
        return uri;
    }

    /** The services this stack runs: those asked for that the checkout has, each with its jar built. */
    private List<Module> present() {
        Map<String, String> orders = settings.orderExpiration() == null ? Map.of()
                : Map.of("ORDER_EXPIRATION", settings.orderExpiration().toString());
        // Set either way (blank: the sandbox), so that a key in the launcher's own environment is used only when
        // the settings say so.
        Map<String, String> payments = Map.of("STRIPE_KEY", stripeKey());
        List<Module> present = new ArrayList<>();
        for (Module module : List.of(new Module("auth-service", "auth", 1, Map.of()),
                new Module("tickets-service", "tickets", 1, Map.of()),
                new Module("orders-service", "orders", settings.ordersReplicas(), orders),
                new Module("payments-service", "payments", 1, payments),
                // The web client owns no data; the database is never used. TICKETING_CLIENT_APIURL is added at start.
                new Module("client", "client", 1, Map.of()))) {
            if (!settings.services().contains(module.name())) {
                continue;
            }
            if (!Files.isRegularFile(settings.repositoryRoot().resolve(module.name()).resolve("pom.xml"))) {
                console.status(module.name() + " is not in this checkout: not started");
                continue;
            }
            if (!Files.isRegularFile(jar(module.name()))) {
                throw new IllegalStateException(jar(module.name()) + " is missing. Build it with: ./mvnw -B "
                        + "-DskipTests package -pl " + module.name() + " -am (./run-local.sh does this by itself)");
            }
            present.add(module);
        }
        return present;
    }

    /** The key payments-service gets: the settings', unless a library caller set STRIPE_KEY itself; blank: none. */
    private String stripeKey() {
        return settings.serviceEnvironment().getOrDefault("STRIPE_KEY",
                Objects.requireNonNullElse(settings.stripeKey(), ""));
    }

    /** Built by the spring-boot-maven-plugin's repackage in {@code package}. */
    private Path jar(String module) {
        return settings.repositoryRoot().resolve(module + "/target/" + module + "-" + projectVersion() + ".jar");
    }

    /** What follows the JVM options: the jar, or its extracted form with its start-up cache (made if missing). */
    private Map<String, List<String>> launchArguments(List<Module> modules) {
        Map<String, Path> jars = new LinkedHashMap<>();
        modules.forEach(module -> jars.put(module.name(), jar(module.name())));
        if (!settings.startupCache()) {
            Map<String, List<String>> plain = new LinkedHashMap<>();
            jars.forEach((name, jar) -> plain.put(name, List.of("-jar", jar.toString())));
            return plain;
        }
        return new StartupCache(settings.startupCacheDir(), settings.serviceJvmOptions(), settings.logsDir(), console)
                .launchArguments(jars);
    }

    private List<ServiceReplica> replicas(Module module, List<String> launch, String mongoUri, String jwtKey) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(settings.serviceJvmOptions());
        command.add(SPRING_AOT);
        command.addAll(launch);
        List<ServiceReplica> replicas = new ArrayList<>();
        for (int index = 1; index <= module.replicas(); index++) {
            int port = Ports.freeLoopbackPort();
            String podName = module.name() + "-" + index;
            String component = module.replicas() == 1 ? module.name() : podName;
            Map<String, String> env = new LinkedHashMap<>();
            env.put("SPRING_MONGODB_URI", withDatabase(mongoUri, module.database()));
            env.put("NATS_URL", natsUrl);
            if (cluster != null) {
                env.put("TICKETING_NATS_STREAM_REPLICAS", Integer.toString(NatsCluster.SIZE));
            }
            env.put("JWT_KEY", jwtKey);
            env.put("TICKETING_SECURITY_COOKIESECURE", "false");
            env.put("SERVER_ADDRESS", "127.0.0.1");
            env.put("SERVER_PORT", Integer.toString(port));
            env.put("POD_NAME", podName);
            // Keep each service's own graceful shutdown inside the launcher's stop grace period.
            env.put("SPRING_LIFECYCLE_TIMEOUTPERSHUTDOWNPHASE", "5s");
            env.put("TICKETING_NATS_SHUTDOWNTIMEOUT", "5s");
            env.putAll(module.environment());
            env.putAll(settings.serviceEnvironment()); // a library caller's explicit choice wins
            replicas.add(new ServiceReplica(component, port, command, env,
                    settings.logsDir().resolve(component + ".log"), console, READY_TIMEOUT));
        }
        return List.copyOf(replicas);
    }

    /** Each service gets the same server with a database of its own; hosts, credentials and options are kept. */
    static String withDatabase(String uri, String database) {
        if (!uri.matches("[a-z+]+://[^/?]+(/[^?]*)?(\\?.*)?")) {
            throw new IllegalStateException("Not a MongoDB connection string: " + uri);
        }
        return uri.replaceFirst("^([a-z+]+://[^/?]+)(/[^?]*)?", "$1/" + database);
    }

    /** Each "ready" line appears when that replica is ready; the first failure is reported at once. */
    private static void awaitAll(List<ServiceReplica> replicas) {
        try (ExecutorService waiters = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> waits = replicas.stream().map(replica -> waiters.submit(replica::awaitReady))
                    .collect(Collectors.toList());
            try {
                for (Future<?> wait : waits) {
                    wait.get();
                }
            } catch (ExecutionException e) {
                waiters.shutdownNow();
                throw e.getCause() instanceof RuntimeException cause ? cause : new IllegalStateException(e.getCause());
            } catch (InterruptedException e) {
                waiters.shutdownNow();
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while starting", e);
            }
        }
    }

    /** The project version, which names the jars: {@code <module>-<version>.jar}. */
    public static String projectVersion() {
        try (InputStream in = LocalStack.class.getResourceAsStream("build.properties")) {
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException("build.properties is missing from the launcher", e);
        }
    }

    /** {@code http://localhost:PORT}: the only address clients need. */
    public URI edgeUri() {
        return edge.uri();
    }

    /** The one NATS server; with {@code NATS_NODES=3} use {@link #natsNodes()}; none with {@code NATS_URL}. */
    public ProcessNatsServer nats() {
        if (natsNodes.size() != 1) {
            throw new IllegalStateException("This stack runs " + natsNodes.size() + " NATS servers: use natsNodes()");
        }
        return natsNodes.getFirst();
    }

    /** One node, or three with {@code NATS_NODES=3}; each can be killed and started again. */
    public List<ProcessNatsServer> natsNodes() {
        return natsNodes;
    }

    public Service service(String name) {
        Service service = services.get(name);
        if (service == null) {
            throw new IllegalArgumentException(name + " is not running in this stack; running: " + services.keySet());
        }
        return service;
    }

    public List<Service> services() {
        return List.copyOf(services.values());
    }

    private List<ServiceReplica> replicas() {
        return services.values().stream().flatMap(service -> service.replicas().stream()).toList();
    }

    /** Stops the edge, then every service (SIGTERM, then SIGKILL after the grace period), MongoDB and NATS. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        console.status("stopping");
        if (probes != null) {
            probes.shutdownNow();
        }
        if (edge != null) {
            edge.close();
        }
        // Services first, while NATS and MongoDB are still there for their last acknowledgements and writes.
        try (ExecutorService stoppers = Executors.newVirtualThreadPerTaskExecutor()) {
            replicas().forEach(replica -> stoppers.submit(replica::stop));
        }
        if (mongo != null) {
            mongo.shutdownNow();
            mongoStore.close(); // commits what the MVStore has not written yet
            console.status("mongodb stopped");
        }
        if (cluster != null) {
            cluster.close();
        } else {
            natsNodes.forEach(ProcessNatsServer::close);
        }
        console.status("stopped");
        console.close();
        closeQuietly(dataDirLock);
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // Already shutting down: this is the hook.
        }
    }

    private static void closeQuietly(FileChannel lock) {
        try {
            lock.close(); // and with it the lock
        } catch (IOException e) {
            // The OS releases it with the process anyway.
        }
    }
}
