package dev.ticketing.benchmarks;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Sizes of one {@link ServiceBenchmark} run, as program arguments {@code name=value} or system properties
 * {@code -Dbench.name=value} (the argument wins). The defaults keep a run under five minutes on a 2-core
 * machine, stack start-ups included.
 *
 * @param phases which measurements to make: events (issue 4 a), throughput (4 b), replica (5 c), burst (5 d)
 * @param rate requests per second in the light-load phases (events, replica)
 * @param lightDuration recorded time of each light-load phase
 * @param lightWarmup unrecorded time at the same rate before it: the services start cold
 * @param replicaTickets tickets the replica phase edits in turn, so no ticket has two edits in flight
 * @param clients concurrent clients of the throughput phase, each sending its next request on the answer
 * @param runDuration length of one throughput run
 * @param runs timed throughput runs per variant (relay on, relay off), interleaved; the median is reported
 * @param warmupRuns untimed throughput runs per variant first
 * @param burstTickets tickets in the burst phase
 * @param burstVersions updates per ticket in one burst (tickets x versions events)
 * @param burstRuns timed bursts; the median is reported
 * @param burstWarmupVersions updates per ticket in an untimed burst first (0 for none)
 * @param burstInterleaved publish version 1 of every ticket, then version 2, ... (as many writers would); false
 *     publishes every version of one ticket before the next ticket
 * @param ordersReplicas orders-service processes in the stack of the events, replica and burst phases
 * @param jfrDir where the services write a JFR recording each (profile settings), or null for none
 * @param serviceEnvironment extra environment of every service process (e.g. to try a setting)
 * @param keepData keep the stacks' data dirs (logs, NATS store) instead of removing them
 * @param repository the checkout, or null to find it above the working directory
 */
record ServiceOptions(Set<Phase> phases, int rate, Duration lightDuration, Duration lightWarmup, int replicaTickets,
        int clients, Duration runDuration, int runs, int warmupRuns, int burstTickets, int burstVersions,
        int burstRuns, int burstWarmupVersions, boolean burstInterleaved, int ordersReplicas, @Nullable Path jfrDir,
        Map<String, String> serviceEnvironment, boolean keepData, @Nullable Path repository) {

    enum Phase { EVENTS, THROUGHPUT, REPLICA, BURST }

    static final ServiceOptions DEFAULTS = new ServiceOptions(EnumSet.allOf(Phase.class), 20, Duration.ofSeconds(15),
            Duration.ofSeconds(5), 50, 16, Duration.ofSeconds(5), 4, 3, 100, 100, 3, 300, true, 2, null, Map.of(), false,
            null);

    static final String USAGE = """
            Usage: java -jar benchmarks/target/benchmarks.jar services [name=value ...]
            Arguments (each also as -Dbench.<name>=<value>):
              phases=events,throughput,replica,burst   what to measure (issue 4 a, 4 b, issue 5 c, 5 d)
              rate=20                  requests/s in the light-load phases (events, replica)
              lightSeconds=15          recorded seconds per light-load phase
              lightWarmupSeconds=5     unrecorded seconds at the same rate first
              replicaTickets=50        tickets the replica phase edits in turn
              clients=16               concurrent clients in the throughput phase
              runSeconds=5             seconds per throughput run
              runs=4                   timed throughput runs per variant (median reported)
              warmupRuns=3             untimed throughput runs per variant first
              burstTickets=100         tickets in the burst phase
              burstVersions=100        updates per ticket per burst
              burstRuns=3              timed bursts (median reported)
              burstWarmupVersions=300  updates per ticket in an untimed burst first (JIT warm-up)
              burstOrder=interleaved   or "ticket": all versions of one ticket, then the next
              ordersReplicas=2         orders-service processes
              jfr=DIR                  a JFR recording (settings=profile) per service process, written to DIR
              serviceEnv=NAME=v;N2=v2  extra environment for every service process
              keepData=false           keep the stacks' data dirs (logs, NATS stores)
              repo=PATH                the checkout (default: found above the working directory)""";

    ServiceOptions {
        phases = phases.isEmpty() ? EnumSet.noneOf(Phase.class) : EnumSet.copyOf(phases);
        serviceEnvironment = Map.copyOf(serviceEnvironment);
        require(!phases.isEmpty(), "phases must name at least one phase");
        require(rate >= 1 && rate <= 1000, "rate must be 1 to 1000 requests/s");
        require(positive(lightDuration), "lightSeconds must be positive");
        require(!lightWarmup.isNegative(), "lightWarmupSeconds must not be negative");
        require(replicaTickets >= 1, "replicaTickets must be at least 1");
        require(clients >= 1 && clients <= 256, "clients must be 1 to 256");
        require(positive(runDuration), "runSeconds must be positive");
        require(runs >= 1, "runs must be at least 1");
        require(warmupRuns >= 0, "warmupRuns must not be negative");
        require(burstTickets >= 1, "burstTickets must be at least 1");
        require(burstVersions >= 1, "burstVersions must be at least 1");
        require(burstRuns >= 1, "burstRuns must be at least 1");
        require(burstWarmupVersions >= 0, "burstWarmupVersions must not be negative");
        require(ordersReplicas >= 1 && ordersReplicas <= 8, "ordersReplicas must be 1 to 8");
    }

    /** Tiny sizes for the smoke test: every phase moves real requests and events, in well under a minute. */
    static ServiceOptions smoke() {
        return new ServiceOptions(EnumSet.allOf(Phase.class), 20, Duration.ofSeconds(1), Duration.ZERO, 5, 2,
                Duration.ofSeconds(1), 1, 0, 5, 10, 1, 0, true, 1, null, Map.of(), false, null);
    }

    ServiceOptions withRepository(Path checkout) {
        return new ServiceOptions(phases, rate, lightDuration, lightWarmup, replicaTickets, clients, runDuration, runs,
                warmupRuns, burstTickets, burstVersions, burstRuns, burstWarmupVersions, burstInterleaved,
                ordersReplicas, jfrDir, serviceEnvironment, keepData, checkout);
    }

    boolean runs(Phase phase) {
        return phases.contains(phase);
    }

    int lightRequests() {
        return (int) Math.max(1, rate * lightDuration.toMillis() / 1000);
    }

    int lightWarmupRequests() {
        return (int) (rate * lightWarmup.toMillis() / 1000);
    }

    int burstEvents() {
        return burstTickets * burstVersions;
    }

    static ServiceOptions parse(String[] args, Properties systemProperties) {
        Map<String, String> values = OptionArgs.collect(args, systemProperties, Set.of(), USAGE);
        ServiceOptions d = DEFAULTS;
        Set<Phase> phases = d.phases;
        int rate = d.rate;
        Duration light = d.lightDuration;
        Duration lightWarmup = d.lightWarmup;
        int replicaTickets = d.replicaTickets;
        int clients = d.clients;
        Duration run = d.runDuration;
        int runs = d.runs;
        int warmupRuns = d.warmupRuns;
        int burstTickets = d.burstTickets;
        int burstVersions = d.burstVersions;
        int burstRuns = d.burstRuns;
        int burstWarmup = d.burstWarmupVersions;
        boolean interleaved = d.burstInterleaved;
        int replicas = d.ordersReplicas;
        Path jfr = d.jfrDir;
        Map<String, String> environment = new LinkedHashMap<>(d.serviceEnvironment);
        boolean keep = d.keepData;
        Path repository = d.repository;
        for (Map.Entry<String, String> entry : values.entrySet()) {
            String raw = entry.getValue().trim();
            String value = raw.replace("_", "");
            try {
                switch (entry.getKey()) {
                    case "phases" -> phases = phases(raw);
                    case "rate" -> rate = Integer.parseInt(value);
                    case "lightSeconds" -> light = OptionArgs.seconds(value);
                    case "lightWarmupSeconds" -> lightWarmup = OptionArgs.seconds(value);
                    case "replicaTickets" -> replicaTickets = Integer.parseInt(value);
                    case "clients" -> clients = Integer.parseInt(value);
                    case "runSeconds" -> run = OptionArgs.seconds(value);
                    case "runs" -> runs = Integer.parseInt(value);
                    case "warmupRuns" -> warmupRuns = Integer.parseInt(value);
                    case "burstTickets" -> burstTickets = Integer.parseInt(value);
                    case "burstVersions" -> burstVersions = Integer.parseInt(value);
                    case "burstRuns" -> burstRuns = Integer.parseInt(value);
                    case "burstWarmupVersions" -> burstWarmup = Integer.parseInt(value);
                    case "burstOrder" -> interleaved = switch (raw) {
                        case "interleaved" -> true;
                        case "ticket" -> false;
                        default -> throw new IllegalArgumentException("burstOrder is interleaved or ticket, not " + raw
                                + "\n" + USAGE);
                    };
                    case "ordersReplicas" -> replicas = Integer.parseInt(value);
                    case "jfr" -> jfr = raw.isEmpty() ? null : Path.of(raw);
                    case "serviceEnv" -> environment.putAll(environment(raw));
                    case "keepData" -> keep = Boolean.parseBoolean(value);
                    case "repo" -> repository = raw.isEmpty() ? null : Path.of(raw);
                    // BusBenchmark's -Dbench.natsUrl is not ours: every stack runs its own nats-server.
                    case "natsUrl" -> { }
                    default -> throw new IllegalArgumentException("Unknown option '" + entry.getKey() + "'\n" + USAGE);
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("Option " + entry.getKey() + " is not a number: " + raw + "\n" + USAGE);
            }
        }
        return new ServiceOptions(phases, rate, light, lightWarmup, replicaTickets, clients, run, runs, warmupRuns,
                burstTickets, burstVersions, burstRuns, burstWarmup, interleaved, replicas, jfr, environment, keep,
                repository);
    }

    private static Set<Phase> phases(String value) {
        Set<Phase> phases = EnumSet.noneOf(Phase.class);
        for (String name : value.split(",")) {
            if (!name.isBlank()) {
                try {
                    phases.add(Phase.valueOf(name.trim().toUpperCase(Locale.ROOT)));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("Unknown phase '" + name.trim() + "'\n" + USAGE);
                }
            }
        }
        return phases;
    }

    private static Map<String, String> environment(String value) {
        Map<String, String> environment = new LinkedHashMap<>();
        for (String pair : value.split(";")) {
            int equals = pair.indexOf('=');
            if (equals <= 0) {
                throw new IllegalArgumentException("serviceEnv takes NAME=value pairs separated by ';', not '" + pair
                        + "'\n" + USAGE);
            }
            environment.put(pair.substring(0, equals).trim(), pair.substring(equals + 1).trim());
        }
        return environment;
    }


    private static boolean positive(Duration duration) {
        return !duration.isNegative() && !duration.isZero();
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message + "\n" + USAGE);
        }
    }
}
