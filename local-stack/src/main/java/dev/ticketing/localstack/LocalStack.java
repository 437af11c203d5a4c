package dev.ticketing.localstack;

import dev.ticketing.testsupport.NatsCluster;
import dev.ticketing.testsupport.Ports;
import dev.ticketing.testsupport.ProcessNatsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The whole system on one machine: NATS (JetStream), a MongoDB-compatible server, every service's Spring Boot jar
 * as child processes, and an edge routing like the Kubernetes Ingress. {@code ./run-local.sh} runs {@link #main};
 * the system tests use it as a library. Closing it (or the JVM exiting, or SIGTERM/SIGINT) stops everything in
 * order; a launcher killed with SIGKILL takes its children with it (see test-support's {@code ChildProcess}).
 */
public final class LocalStack implements AutoCloseable {

    /** One service as the launcher runs it: module and jar name, the database it owns, variables only it gets. */
    private record Service(String name, String database, int replicas, Map<String, String> environment) {
    }

    static final Duration READY_TIMEOUT = Duration.ofMinutes(3);
    /** The readiness probe of {@code infra/k8s}: every 5 seconds, out of the rotation after 2 failures in a row. */
    static final Duration PROBE_PERIOD = Duration.ofSeconds(5);
    static final int PROBE_FAILURES = 2;

    private final StackSettings settings;
    private final DataDirLock lock;
    private final Console console;
    private final Thread shutdownHook = new Thread(this::close, "local-stack-shutdown");
    /** Complete before the edge starts, which reads it from its own threads. */
    private volatile Map<String, ServiceGroup> services = Map.of();
    private List<ProcessNatsServer> natsNodes = List.of();
    private @Nullable NatsCluster cluster;
    private String natsUrl = "";
    private @Nullable EmbeddedMongo mongo;
    private @Nullable Edge edge;
    private @Nullable ScheduledExecutorService probes;
    private volatile boolean closed;

    private LocalStack(StackSettings settings, DataDirLock lock, Console console) {
        this.settings = settings;
        this.lock = lock;
        this.console = console;
    }

    /** {@code ./run-local.sh}: the stack of the environment's settings, up until Ctrl-C or SIGTERM. */
    public static void main(String[] args) throws InterruptedException {
        try {
            start(StackSettings.fromEnvironment(System.getenv(), Path.of("")));
        } catch (LocalStackException | IllegalStateException e) {
            System.err.println("[local-stack] " + e.getMessage());
            System.exit(1);
        }
        new CountDownLatch(1).await();
    }

    /** Starts everything and returns once every component is ready; on failure stops what it started. */
    public static LocalStack start(StackSettings settings) {
        DataDirLock lock = DataDirLock.acquire(settings.dataDir());
        LocalStack stack;
        try {
            stack = new LocalStack(settings, lock, Console.open(System.out, settings.echoLogs(), settings.logsDir()));
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
        Runtime.getRuntime().addShutdownHook(stack.shutdownHook);
        try {
            stack.startComponents();
            return stack;
        } catch (RuntimeException e) {
            boolean interrupted = stack.closed;
            stack.close();
            throw interrupted ? new LocalStackException("Stopped during start-up", e) : e;
        }
    }

    private void startComponents() {
        long begin = System.nanoTime();
        console.status("data dir " + settings.dataDir() + " (logs in " + settings.logsDir() + ")");
        IngressRoutes routes = IngressRoutes.read(settings.ingressManifests());
        List<Service> present = present();
        describeRoutes(routes, present);
        DevelopmentKey.Key key = DevelopmentKey.resolve(settings.jwtKey(), settings.dataDir());
        console.status("JWT key from " + key.origin());

        checkStillStarting();
        startNats();
        checkStillStarting();
        String mongoUri = settings.mongoUri();
        if (mongoUri != null) {
            console.status("mongodb: using " + mongoUri.replaceAll("//[^@/]*@", "//***@"));
        } else {
            mongo = EmbeddedMongo.start(settings.dataDir().resolve("mongo"));
            mongoUri = mongo.uri();
            console.status("mongodb (embedded, data in " + settings.dataDir().resolve("mongo") + ") ready at " + mongoUri);
        }
        Map<String, ServiceGroup> groups = new LinkedHashMap<>();
        for (Service service : present) {
            groups.put(service.name(), new ServiceGroup(service.name(), replicas(service, mongoUri, key.value())));
        }
        services = Collections.unmodifiableMap(groups);

        checkStillStarting();
        edge = Edge.start(settings.port(), routes, services, settings.logsDir().resolve("edge.log"));
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
        probes = ServiceReplica.probeEvery(PROBE_PERIOD, PROBE_FAILURES, all);
        console.status(String.format("Ticketing is up at %s (in %.1f s). Ctrl-C stops everything.", edge.uri(),
                (System.nanoTime() - begin) / 1e9));
    }

    /** Ctrl-C during start-up runs {@link #close()} on the hook's thread: nothing more is started after that. */
    private void checkStillStarting() {
        if (closed) {
            throw new LocalStackException("Stopped during start-up");
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
            console.status(String.format("NATS cluster %s is up: %d nodes at %s, streams replicated %d times (in %.1f s)",
                    cluster.name(), NatsCluster.SIZE, natsUrl, NatsCluster.SIZE, (System.nanoTime() - begin) / 1e9));
        } else {
            ProcessNatsServer nats = ProcessNatsServer.single(setup, "ticketing-local");
            natsNodes = List.of(nats);
            natsUrl = nats.url();
            nats.start();
        }
    }

    /** The services this stack runs: those asked for that the checkout has, each with its jar built. */
    private List<Service> present() {
        Map<String, String> orders = settings.orderExpiration() == null ? Map.of()
                : Map.of("ORDER_EXPIRATION", settings.orderExpiration().toString());
        List<Service> present = new ArrayList<>();
        for (Service service : List.of(new Service("auth-service", "auth", 1, Map.of()),
                new Service("tickets-service", "tickets", 1, Map.of()),
                new Service("orders-service", "orders", settings.ordersReplicas(), orders))) {
            if (!settings.services().contains(service.name())) {
                continue;
            }
            if (!Files.isRegularFile(settings.repositoryRoot().resolve(service.name()).resolve("pom.xml"))) {
                console.status(service.name() + " is not in this checkout: not started");
                continue;
            }
            Path jar = jar(service.name());
            if (!Files.isRegularFile(jar)) {
                throw new LocalStackException(jar + " is missing. Build it with: ./mvnw -B -DskipTests package -pl "
                        + service.name() + " -am (./run-local.sh does this by itself)");
            }
            present.add(service);
        }
        return present;
    }

    /** Built by the spring-boot-maven-plugin's repackage in {@code package}. */
    private Path jar(String module) {
        return settings.repositoryRoot().resolve(module).resolve("target").resolve(module + "-" + projectVersion() + ".jar");
    }

    private void describeRoutes(IngressRoutes routes, List<Service> present) {
        Set<String> running = present.stream().map(Service::name).collect(Collectors.toSet());
        String sources = routes.routes().stream().map(route -> settings.repositoryRoot().relativize(route.source()))
                .distinct().map(Path::toString).collect(Collectors.joining(", "));
        console.status("routes from " + sources + ": " + routes.routes().stream()
                .map(route -> route + (running.contains(route.service()) ? "" : " (not run locally: 503)"))
                .collect(Collectors.joining(", ")));
    }

    private List<ServiceReplica> replicas(Service service, String mongoUri, String jwtKey) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(settings.serviceJvmOptions());
        command.addAll(List.of("-jar", jar(service.name()).toString()));
        List<ServiceReplica> replicas = new ArrayList<>();
        for (int index = 1; index <= service.replicas(); index++) {
            int port = Ports.freeLoopbackPort();
            String podName = service.name() + "-" + index;
            String component = service.replicas() == 1 ? service.name() : podName;
            Map<String, String> env = new LinkedHashMap<>();
            env.put("SPRING_MONGODB_URI", MongoUris.withDatabase(mongoUri, service.database()));
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
            env.putAll(settings.serviceEnvironment());
            env.putAll(service.environment());
            replicas.add(new ServiceReplica(component, port, command, env,
                    settings.logsDir().resolve(component + ".log"), console, READY_TIMEOUT));
        }
        return replicas;
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
                throw e.getCause() instanceof RuntimeException failure ? failure : new IllegalStateException(e.getCause());
            } catch (InterruptedException e) {
                waiters.shutdownNow();
                Thread.currentThread().interrupt();
                throw new LocalStackException("Interrupted while starting", e);
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

    /** Every NATS node this stack runs (one, or three with {@code NATS_NODES=3}); each can be killed and started again. */
    public List<ProcessNatsServer> natsNodes() {
        return natsNodes;
    }

    public ServiceGroup service(String name) {
        ServiceGroup group = services.get(name);
        if (group == null) {
            throw new IllegalArgumentException(name + " is not running in this stack; running: " + services.keySet());
        }
        return group;
    }

    public List<ServiceGroup> services() {
        return List.copyOf(services.values());
    }

    private List<ServiceReplica> replicas() {
        return services.values().stream().flatMap(group -> group.replicas().stream()).toList();
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
            mongo.close();
            console.status("mongodb stopped");
        }
        if (cluster != null) {
            cluster.close();
        } else {
            natsNodes.forEach(ProcessNatsServer::close);
        }
        console.status("stopped");
        console.close();
        lock.close();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // Already shutting down: this is the hook.
        }
    }
}
