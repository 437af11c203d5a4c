package dev.ticketing.localstack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * What to start and where. {@link #fromEnvironment} reads the variables documented for {@code ./run-local.sh};
 * library callers use {@link #builder} (tests: a temporary data dir and port 0, a free one). A null {@code jwtKey},
 * {@code natsUrl} or {@code mongoUri} means the stack's own (development key, nats-server, embedded MongoDB); a
 * null {@code orderExpiration} the service's default; a null {@code stripeKey} payments-service's sandbox provider
 * (the builder leaves it null, so a key in the developer's shell never reaches a test's stack).
 * {@code parallelStart} false starts the services one after another, to time each. {@code startupCache} starts each
 * service from its extracted jar with a JDK AOT cache (or CDS archive) kept in {@code dataDir/aot}, made by a
 * training run the first time ({@link StartupCache}); {@code ./run-local.sh} has it on unless {@code AOT_CACHE=off},
 * library callers (tests, on fresh data dirs) off unless they ask.
 */
public record StackSettings(Path repositoryRoot, Path dataDir, int port, @Nullable String jwtKey,
        @Nullable Duration orderExpiration, int ordersReplicas, @Nullable String natsUrl, int natsNodes,
        @Nullable String mongoUri, @Nullable String stripeKey, List<String> services, List<String> serviceJvmOptions,
        Map<String, String> serviceEnvironment, boolean echoLogs, boolean parallelStart, boolean startupCache) {

    public static final List<String> SERVICES = List.of("auth-service", "tickets-service", "orders-service",
            "payments-service", "client");
    /** Modest heaps: five service JVMs share a 2-core laptop-sized machine. Library callers (tests, benchmarks). */
    public static final List<String> DEFAULT_JVM_OPTIONS = List.of("-Xms64m", "-Xmx256m", "-XX:+UseSerialGC",
            "-XX:+ExitOnOutOfMemoryError");
    /**
     * {@code ./run-local.sh}'s: C1 only, as Spring Boot's own {@code spring-boot:run} long did. Five JVMs starting at
     * once on two cores spend much of their start in C2 compilations; one person's local stack never needs C2's peak
     * throughput. The stack is up in about two thirds of the time (README, "Start-up").
     */
    public static final List<String> LOCAL_JVM_OPTIONS = Stream.concat(DEFAULT_JVM_OPTIONS.stream(),
            Stream.of("-XX:TieredStopAtLevel=1")).toList();

    public StackSettings {
        check(port >= 0 && port <= 65535, "The edge's port must be between 0 (a free one) and 65535, not " + port);
        check(ordersReplicas >= 1 && ordersReplicas <= 8, "ORDERS_REPLICAS must be 1 to 8, not " + ordersReplicas);
        check(natsNodes == 1 || natsNodes == 3,
                "NATS_NODES must be 1 (one nats-server) or 3 (a JetStream cluster), not " + natsNodes);
        check(natsNodes == 1 || natsUrl == null, "NATS_NODES=" + natsNodes + " runs a cluster of nats-server processes;"
                + " with NATS_URL set the launcher runs none. Set one of them, not both");
        check(orderExpiration == null || orderExpiration.isPositive(),
                "ORDER_EXPIRATION must be a positive duration, not " + orderExpiration);
        check(SERVICES.containsAll(services), "Unknown services " + services + ": the stack runs " + SERVICES);
        repositoryRoot = repositoryRoot.toAbsolutePath().normalize();
        dataDir = dataDir.toAbsolutePath().normalize();
        services = List.copyOf(services);
        serviceJvmOptions = List.copyOf(serviceJvmOptions);
        serviceEnvironment = Map.copyOf(serviceEnvironment);
    }

    public static Builder builder(Path repositoryRoot, Path dataDir) {
        return new Builder(repositoryRoot, dataDir);
    }

    /**
     * The variables {@code ./run-local.sh} documents. Relative paths are taken from {@code workingDir}, and the
     * checkout is the nearest directory above it with {@code run-local.sh}.
     */
    public static StackSettings fromEnvironment(Map<String, String> env, Path workingDir) {
        int port = integer(env, "PORT", 8080);
        // 0 (a free port) suits library callers, which ask the stack for its port; a person needs to know where to go.
        check(port >= 1 && port <= 65535, "PORT must be between 1 and 65535, not " + port);
        String expiration = value(env, "ORDER_EXPIRATION", null);
        String jvmOptions = value(env, "SERVICE_JVM_OPTS", null);
        String aotCache = value(env, "AOT_CACHE", "on");
        check(aotCache.equals("on") || aotCache.equals("off"), "AOT_CACHE must be on or off, not '" + aotCache + "'");
        try {
            Path dataDir = workingDir.resolve(value(env, "DATA_DIR", ".local"));
            return new StackSettings(repositoryRootAbove(workingDir), dataDir, port, value(env, "JWT_KEY", null),
                    expiration == null ? null : Duration.parse(expiration), integer(env, "ORDERS_REPLICAS", 1),
                    value(env, "NATS_URL", null), integer(env, "NATS_NODES", 1),
                    value(env, "SPRING_MONGODB_URI", value(env, "MONGODB_URI", null)), value(env, "STRIPE_KEY", null),
                    SERVICES,
                    jvmOptions == null ? LOCAL_JVM_OPTIONS : List.of(jvmOptions.split("\\s+")), Map.of(), true, true,
                    aotCache.equals("on"));
        } catch (DateTimeParseException e) {
            throw new IllegalStateException("ORDER_EXPIRATION must be an ISO-8601 duration such as PT15M or PT30S, "
                    + "not '" + expiration + "'");
        }
    }

    /** The nearest directory at or above {@code workingDir} with {@code run-local.sh} and {@code pom.xml}. */
    public static Path repositoryRootAbove(Path workingDir) {
        for (Path dir = workingDir.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("run-local.sh")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
                return dir;
            }
        }
        throw new IllegalStateException("Cannot find the Ticketing checkout (a directory with run-local.sh) at or "
                + "above " + workingDir.toAbsolutePath() + ". Run ./run-local.sh from the repository.");
    }

    /** Where the Kubernetes manifests with the Ingress are, whose paths the edge routes. */
    public Path ingressManifests() {
        return repositoryRoot.resolve("infra/k8s");
    }

    public Path logsDir() {
        return dataDir.resolve("logs");
    }

    /** Where {@link StartupCache} keeps each service's extracted jar and cache. */
    public Path startupCacheDir() {
        return dataDir.resolve("aot");
    }

    private static void check(boolean valid, String otherwise) {
        if (!valid) {
            throw new IllegalStateException(otherwise);
        }
    }

    private static @Nullable String value(Map<String, String> env, String name, @Nullable String fallback) {
        String value = env.get(name);
        return value == null || value.isBlank() ? fallback : value.trim();
    }

    private static int integer(Map<String, String> env, String name, int fallback) {
        String value = value(env, name, null);
        try {
            return value == null ? fallback : Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalStateException(name + " must be a whole number, not '" + value + "'");
        }
    }

    public static final class Builder {

        private final Path repositoryRoot;
        private final Path dataDir;
        private int port = 8080;
        private int ordersReplicas = 1;
        private int natsNodes = 1;
        private @Nullable String mongoUri;
        private List<String> services = SERVICES;
        private List<String> serviceJvmOptions = DEFAULT_JVM_OPTIONS;
        private final Map<String, String> serviceEnvironment = new LinkedHashMap<>();
        private boolean echoLogs;
        private boolean parallelStart = true;
        private boolean startupCache;

        private Builder(Path repositoryRoot, Path dataDir) {
            this.repositoryRoot = repositoryRoot;
            this.dataDir = dataDir;
        }

        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder ordersReplicas(int ordersReplicas) {
            this.ordersReplicas = ordersReplicas;
            return this;
        }

        public Builder natsNodes(int natsNodes) {
            this.natsNodes = natsNodes;
            return this;
        }

        public Builder mongoUri(@Nullable String mongoUri) {
            this.mongoUri = mongoUri;
            return this;
        }

        public Builder services(String... names) {
            this.services = List.of(names);
            return this;
        }

        public Builder serviceJvmOptions(List<String> options) {
            this.serviceJvmOptions = options;
            return this;
        }

        public Builder serviceEnvironment(String name, String value) {
            serviceEnvironment.put(name, value);
            return this;
        }

        public Builder echoLogs(boolean echoLogs) {
            this.echoLogs = echoLogs;
            return this;
        }

        public Builder parallelStart(boolean parallelStart) {
            this.parallelStart = parallelStart;
            return this;
        }

        /** On: the services start with a start-up cache, made by a training run when the data dir has none. */
        public Builder startupCache(boolean startupCache) {
            this.startupCache = startupCache;
            return this;
        }

        public StackSettings build() {
            return new StackSettings(repositoryRoot, dataDir, port, null, null, ordersReplicas, null, natsNodes,
                    mongoUri, null, services, serviceJvmOptions, serviceEnvironment, echoLogs, parallelStart,
                    startupCache);
        }
    }
}
