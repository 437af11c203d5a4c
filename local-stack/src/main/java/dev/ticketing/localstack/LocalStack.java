package dev.ticketing.localstack;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The whole system on one machine: NATS (JetStream), a MongoDB-compatible server, every service's Spring
 * Boot jar as child processes, and an edge routing like the Kubernetes Ingress. {@code ./run-local.sh}
 * runs it through {@link LocalStackMain}; the system tests use it as a library. Closing it (or the JVM
 * exiting normally, or SIGTERM/SIGINT) stops everything; see {@link ParentWatch} for SIGKILL.
 */
public final class LocalStack implements AutoCloseable {

    private final StackSettings settings;
    private final DataDirLock lock;
    private final Console console;
    private final ChildProcesses children;
    private final Thread shutdownHook;
    /** Published whole, before the edge starts: the edge reads it from its own threads. */
    private volatile Map<String, ServiceGroup> services = Map.of();
    private @Nullable Edge edge;
    private @Nullable ReadinessProbes readinessProbes;
    /** One server (managed or external), or the three nodes of {@link #cluster}. */
    private List<NatsServer> natsNodes = List.of();
    private @Nullable NatsCluster cluster;
    private String natsUrl = "";
    private @Nullable EmbeddedMongo mongo;
    private volatile boolean closed;

    private LocalStack(StackSettings settings, DataDirLock lock, Console console, ChildProcesses children) {
        this.settings = settings;
        this.lock = lock;
        this.console = console;
        this.children = children;
        this.shutdownHook = new Thread(this::close, "local-stack-shutdown");
    }

    /** Starts everything and returns once every component is ready; on failure stops what it started. */
    public static LocalStack start(StackSettings settings) {
        return start(settings, System.out, System.getenv());
    }

    static LocalStack start(StackSettings settings, PrintStream out, Map<String, String> env) {
        try {
            Files.createDirectories(settings.logsDir());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create " + settings.logsDir(), e);
        }
        DataDirLock lock = DataDirLock.acquire(settings.dataDir());
        Console console;
        try {
            console = Console.open(out, settings.echoLogs(), settings.logsDir());
            ChildProcesses.stopLeftovers(settings.dataDir(), console);
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
        LocalStack stack = new LocalStack(settings, lock, console, new ChildProcesses(settings.dataDir()));
        Runtime.getRuntime().addShutdownHook(stack.shutdownHook);
        try {
            stack.startComponents(env);
            return stack;
        } catch (RuntimeException e) {
            boolean interrupted = stack.closed;
            stack.close();
            throw interrupted ? new LocalStackException("Stopped during start-up", e) : e;
        }
    }

    private void startComponents(Map<String, String> env) {
        long begin = System.nanoTime();
        console.status("data dir " + settings.dataDir() + " (logs in " + settings.logsDir() + ")");
        IngressRoutes routes = IngressRoutes.read(settings.ingressManifests());
        List<ServiceSpec> specs = present(ServiceSpec.all(settings));
        describeRoutes(routes, specs);
        DevelopmentKey.Key key = DevelopmentKey.resolve(settings.jwtKey(), settings.dataDir());
        console.status("JWT key from " + key.origin());
        Path agent = ParentWatchJar.writeTo(settings.dataDir());

        checkStillStarting();
        if (settings.natsUrl() != null) {
            natsNodes = List.of(NatsServer.external(settings.natsUrl()));
            natsUrl = settings.natsUrl();
            console.status("nats: using NATS_URL=" + settings.natsUrl());
        } else if (settings.natsNodes() == NatsCluster.SIZE) {
            long natsBegin = System.nanoTime();
            cluster = NatsCluster.create(settings.dataDir().resolve("nats"), settings.logsDir(), console, children,
                    settings.readyTimeout(), NatsServer.binary(env));
            natsNodes = cluster.nodes();
            natsUrl = cluster.url();
            cluster.start();
            console.status(String.format("NATS cluster %s is up: %d nodes at %s, streams replicated %d times (in %.1f s)",
                    NatsCluster.NAME, NatsCluster.SIZE, natsUrl, NatsCluster.SIZE, (System.nanoTime() - natsBegin) / 1e9));
        } else {
            NatsServer nats = NatsServer.managed(settings.dataDir().resolve("nats"), settings.logsDir(), console,
                    children, settings.readyTimeout(), env);
            natsNodes = List.of(nats);
            natsUrl = nats.url();
            nats.start();
        }
        checkStillStarting();
        String mongoUri;
        if (settings.mongoUri() != null) {
            mongoUri = settings.mongoUri();
            console.status("mongodb: using " + redact(mongoUri));
        } else {
            mongo = EmbeddedMongo.start(settings.dataDir().resolve("mongo"));
            mongoUri = mongo.uri();
            console.status("mongodb (embedded, data in " + settings.dataDir().resolve("mongo") + ") ready at " + mongoUri);
        }

        Map<String, ServiceGroup> groups = new LinkedHashMap<>();
        for (ServiceSpec spec : specs) {
            groups.put(spec.name(), new ServiceGroup(spec.name(), replicas(spec, mongoUri, key.value(), agent)));
        }
        services = Collections.unmodifiableMap(groups);

        checkStillStarting();
        edge = Edge.start(settings.port(), routes, name -> services.get(name),
                settings.logsDir().resolve(Edge.COMPONENT + ".log"));
        console.status("edge listening on " + edge.uri() + " (requests logged to logs/" + Edge.COMPONENT + ".log)");

        List<ServiceReplica> all = services.values().stream().flatMap(group -> group.replicas().stream()).toList();
        if (settings.parallelStart()) {
            for (ServiceReplica replica : all) {
                checkStillStarting();
                replica.start();
            }
            awaitAll(all);
        } else {
            for (ServiceReplica replica : all) {
                checkStillStarting();
                replica.start();
                replica.awaitReady();
            }
        }
        readinessProbes = new ReadinessProbes(all, ReadinessProbes.PERIOD);
        console.status(String.format("Ticketing is up at %s (in %.1f s). Ctrl-C stops everything.", edge.uri(),
                (System.nanoTime() - begin) / 1e9));
    }

    /**
     * Ctrl-C during start-up runs {@link #close()} on the shutdown hook's thread; starting nothing more after
     * that keeps the stop complete (a process started in the race still exits with the launcher: ParentWatch).
     */
    private void checkStillStarting() {
        if (closed) {
            throw new LocalStackException("Stopped during start-up");
        }
    }

    private List<ServiceSpec> present(List<ServiceSpec> specs) {
        List<ServiceSpec> present = new ArrayList<>();
        for (ServiceSpec spec : specs) {
            if (!settings.services().isEmpty() && !settings.services().contains(spec.name())) {
                continue;
            }
            if (!Files.isRegularFile(spec.module(settings.repositoryRoot()).resolve("pom.xml"))) {
                console.status(spec.name() + " is not in this checkout: not started");
                continue;
            }
            Path jar = spec.jar(settings.repositoryRoot());
            if (!Files.isRegularFile(jar)) {
                throw new LocalStackException(jar + " is missing. Build it with: ./mvnw -B -DskipTests package -pl "
                        + spec.name() + " -am (./run-local.sh does this by itself)");
            }
            present.add(spec);
        }
        return present;
    }

    private void describeRoutes(IngressRoutes routes, List<ServiceSpec> specs) {
        Set<String> running = specs.stream().map(ServiceSpec::name).collect(Collectors.toSet());
        String sources = routes.routes().stream().map(route -> settings.repositoryRoot().relativize(route.source()))
                .distinct().map(Path::toString).collect(Collectors.joining(", "));
        console.status("routes from " + sources + ": " + routes.routes().stream()
                .map(route -> route + (running.contains(route.service()) ? "" : " (not run locally: 503)"))
                .collect(Collectors.joining(", ")));
    }

    private List<ServiceReplica> replicas(ServiceSpec spec, String mongoUri, String jwtKey, Path agent) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(settings.serviceJvmOptions());
        command.add("-javaagent:" + agent);
        command.add("-jar");
        command.add(spec.jar(settings.repositoryRoot()).toString());
        List<ServiceReplica> replicas = new ArrayList<>();
        for (int index = 1; index <= spec.replicas(); index++) {
            int port = Ports.freeLoopbackPort();
            String podName = spec.name() + "-" + index;
            String component = spec.replicas() == 1 ? spec.name() : podName;
            Map<String, String> env = new LinkedHashMap<>();
            env.put("SPRING_MONGODB_URI", MongoUris.withDatabase(mongoUri, spec.database()));
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
            env.putAll(spec.environment());
            replicas.add(new ServiceReplica(component, podName, port, command, env,
                    new ComponentOutput(component, settings.logsDir().resolve(component + ".log"), console), console,
                    children, settings.readyTimeout(), settings.stopGrace()));
        }
        return replicas;
    }

    /**
     * Waits for all at once, so each "ready" line appears when that replica is ready; the first failure
     * stops the waiting for the others, so that it is reported at once.
     */
    private static void awaitAll(List<ServiceReplica> replicas) {
        try (ExecutorService waiters = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> waits = replicas.stream()
                    .map(replica -> waiters.submit(replica::awaitReady))
                    .collect(Collectors.toList());
            try {
                for (Future<?> wait : waits) {
                    wait.get();
                }
            } catch (ExecutionException e) {
                waiters.shutdownNow();
                if (e.getCause() instanceof RuntimeException failure) {
                    throw failure;
                }
                throw new IllegalStateException(e.getCause());
            } catch (InterruptedException e) {
                waiters.shutdownNow();
                Thread.currentThread().interrupt();
                throw new LocalStackException("Interrupted while starting", e);
            }
        }
    }

    /** The project version, which names the jars: {@code <module>-<version>.jar}. */
    public static String projectVersion() {
        return ServiceSpec.projectVersion();
    }

    public StackSettings settings() {
        return settings;
    }

    /** {@code http://localhost:PORT}: the only address clients need. */
    public URI edgeUri() {
        return edge.uri();
    }

    /** The one NATS server; with {@code NATS_NODES=3} use {@link #natsNodes()}. */
    public NatsServer nats() {
        if (natsNodes.size() != 1) {
            throw new IllegalStateException("NATS runs as a cluster of " + natsNodes.size() + " nodes: use natsNodes()");
        }
        return natsNodes.getFirst();
    }

    /** Every NATS node (one, or three with {@code NATS_NODES=3}), in order: each can be killed and started again. */
    public List<NatsServer> natsNodes() {
        return natsNodes;
    }

    /** What the services get as {@code NATS_URL}: one client URL, or the cluster's three joined by commas. */
    public String natsUrl() {
        return natsUrl;
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

    /** Stops the edge, then every service (SIGTERM, then SIGKILL after the grace period), MongoDB and NATS. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        console.status("stopping");
        if (readinessProbes != null) {
            readinessProbes.close();
        }
        if (edge != null) {
            edge.close();
        }
        try (ExecutorService stoppers = Executors.newVirtualThreadPerTaskExecutor()) {
            services.values().stream().flatMap(group -> group.replicas().stream())
                    .forEach(replica -> stoppers.submit(replica::stop));
        }
        if (mongo != null) {
            mongo.close();
            console.status("mongodb stopped");
        }
        if (cluster != null) {
            cluster.close();
        } else {
            natsNodes.forEach(NatsServer::close);
        }
        children.deleteFile();
        console.status("stopped");
        console.close();
        lock.close();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // Already shutting down: this is the hook.
        }
    }

    private static String redact(String uri) {
        return uri.replaceAll("//[^@/]*@", "//***@");
    }
}
