package dev.ticketing.benchmarks;

import dev.ticketing.events.TicketCreated;
import dev.ticketing.events.bus.EventBusSettings;
import dev.ticketing.events.bus.NatsEventBus;
import dev.ticketing.events.bus.Verdict;
import dev.ticketing.testsupport.NatsCluster;
import dev.ticketing.testsupport.NatsServer;
import dev.ticketing.testsupport.ProcessNatsServer;
import dev.ticketing.testsupport.TestServers;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamOptions;
import io.nats.client.Nats;
import io.nats.client.api.Replica;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * Issue 12, part 7, in one run: how long the bus takes to consume again after its only nats-server came back
 * with an empty store; on a three-node cluster, library publish throughput and publish → handler latency with
 * the stream replicated once and three times; and the R3 latency while a follower, then the stream leader, is
 * down. Starts its own servers (test-support's nats-server processes).
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar cluster [repetitions=5] [checkInterval=5] ...</pre>
 */
public final class ClusterBenchmark {

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private ClusterBenchmark() {
    }

    public static void main(String[] args) {
        Benchmarks.launch(args, arguments -> Options.parse(arguments, System.getProperties()),
                options -> run(options, System.out).print(System.out));
    }

    static Report run(Options options, PrintStream progress) throws Exception {
        double loadBefore = CpuClock.loadAverage();
        List<Duration> recoveries;
        try (NatsServer server = TestServers.dedicatedNats()) {
            recoveries = recoveries(server, options, progress);
        }
        try (NatsCluster cluster = TestServers.natsCluster();
                Connection admin = Nats.connect(new io.nats.client.Options.Builder()
                        .servers(cluster.urls().toArray(String[]::new)).maxReconnects(-1).build())) {
            String stream = EventBusSettings.Stream.DEFAULT.name();
            // Generous: a cluster re-electing on a busy 2-core machine can take longer than jnats' default 2 s.
            JetStreamManagement jsm = admin.jetStreamManagement(
                    JetStreamOptions.builder().requestTimeout(Duration.ofSeconds(10)).build());
            List<ThroughputPhase> publish = new ArrayList<>();
            List<LatencyResult> latency = new ArrayList<>();
            Duration election = Duration.ZERO;
            try (StreamJanitor janitor = new StreamJanitor(jsm,
                    Set.of(stream, EventBusSettings.DeadLetters.DEFAULT.stream()))) {
                for (int replicas : new int[] {1, 3}) {
                    EventBusSettings.Stream replicated = new EventBusSettings.Stream(stream, replicas, Duration.ZERO,
                            Duration.ofMinutes(2));
                    // One set of buses per replica count: a bus aligns the stream to its own settings on every check.
                    try (LibraryBus bus = new LibraryBus(cluster.url(), EventBusSettings.Consumer.DEFAULT,
                            new Workload(stream), janitor, settings -> settings.withStream(replicated))) {
                        // From R1 to R3 the stream gains two copies: wait until both are current.
                        await("all " + replicas + " copies current", () -> jsm.getStreamInfo(stream).getClusterInfo(), info -> replicas == 1
                                || info.getReplicas() != null && info.getReplicas().size() == replicas - 1
                                && info.getReplicas().stream().allMatch(Replica::isCurrent));
                        publish.add(throughput("R" + replicas, bus, janitor, stream, options, progress));
                        latency.add(latency("R" + replicas + ", all up", bus, options, progress));
                        if (replicas == 3) {
                            String leader = jsm.getStreamInfo(stream).getClusterInfo().getLeader();
                            ProcessNatsServer follower = cluster.nodes().stream()
                                    .filter(node -> !node.name().equals(leader)).findFirst().orElseThrow();
                            follower.kill();
                            awaitLeaders(admin, stream, follower.name());
                            bus.awaitPublisherReady();
                            latency.add(latency("R3, follower " + follower.name() + " down", bus, options, progress));
                            follower.start();

                            ProcessNatsServer killed = cluster.node(leader);
                            long killedAt = System.nanoTime();
                            killed.kill();
                            String next = awaitLeaders(admin, stream, leader);
                            election = Duration.ofNanos(System.nanoTime() - killedAt);
                            progress.printf(Locale.ROOT, "stream leader %s killed: %s leads, and the meta leader answers, after %d ms%n", leader, next,
                                    election.toMillis());
                            bus.awaitPublisherReady();
                            latency.add(latency("R3, leader " + leader + " down", bus, options, progress));
                            killed.start();
                        }
                    }
                }
            }
            return new Report("nats-server %s (single and 3-node cluster, processes on loopback), jnats %s, JDK %s, %d CPUs, load average %.1f before / %.1f after"
                    .formatted(admin.getServerInfo().getVersion(), Nats.CLIENT_VERSION, Runtime.version(),
                            Runtime.getRuntime().availableProcessors(), loadBefore, CpuClock.loadAverage()),
                    options, recoveries, publish.get(0), publish.get(1), latency, election);
        }
    }

    /**
     * The server is killed, its store wiped, and started again; timed from {@code start()} returning (the server
     * answers) to the handling of the first event published after it, published again until one is stored.
     */
    private static List<Duration> recoveries(NatsServer server, Options options, PrintStream progress) throws Exception {
        Workload workload = new Workload(EventBusSettings.Stream.DEFAULT.name());
        AtomicLong batch = new AtomicLong();
        AtomicLong handledAt = new AtomicLong();
        List<Duration> recoveries = new ArrayList<>();
        try (NatsEventBus publisher = BusClients.awaitReady(bus(server.url(), "bench-publisher", options));
                NatsEventBus consumer = bus(server.url(), "bench-consumer", options)) {
            consumer.subscribe(TicketCreated.class, (event, metadata) -> {
                if (metadata.eventId().getMostSignificantBits() == batch.get()) {
                    handledAt.compareAndSet(0, System.nanoTime());
                }
                return Verdict.APPLIED;
            });
            BusClients.awaitReady(consumer);
            for (int i = 0; i < options.repetitions(); i++) {
                batch.set(Workload.newBatch());
                handledAt.set(0);
                server.wipeStore();
                server.start();
                long answering = System.nanoTime();
                long deadline = answering + PATIENCE.toNanos();
                long stored = 0;
                while (stored == 0) {
                    try {
                        publisher.publish(workload.envelope(batch.get(), 0));
                        stored = System.nanoTime();
                    } catch (RuntimeException e) {
                        // Not reconnected yet, or the stream not yet made again: the same event id, again.
                        requireBefore(deadline, "no event stored after an empty-store restart: " + e);
                        Thread.sleep(20);
                    }
                }
                while (handledAt.get() == 0) {
                    requireBefore(deadline, "stored event not handled after an empty-store restart");
                    Thread.sleep(5);
                }
                Duration recovery = Duration.ofNanos(handledAt.get() - answering);
                recoveries.add(recovery);
                progress.printf(Locale.ROOT, "recovery %d/%d: stored after %d ms, handled after %d ms%n", i + 1,
                        options.repetitions(), (stored - answering) / 1_000_000, recovery.toMillis());
                BusClients.awaitReady(publisher);
                BusClients.awaitReady(consumer);
            }
        }
        return recoveries;
    }

    private static NatsEventBus bus(String url, String service, Options options) {
        return NatsEventBus.start(EventBusSettings.of(url, service).withInstanceName("benchmark")
                .withChecks(options.checkInterval(), Duration.ofSeconds(30)), new SimpleMeterRegistry());
    }

    private static ThroughputPhase throughput(String name, LibraryBus bus, StreamJanitor janitor, String stream,
            Options options, PrintStream progress) throws Exception {
        List<Throughput> runs = new ArrayList<>();
        for (int run = 0; run < options.warmupRuns() + options.runs(); run++) {
            janitor.purge(stream);
            Throughput result = bus.publish(options.messages(), options.inFlight(),
                    Duration.ofSeconds(30 + options.messages() / 1_000));
            if (run >= options.warmupRuns()) {
                runs.add(result);
            }
            progress.printf(Locale.ROOT, "publish %s %s %,10.0f msg/s%s%n", name,
                    run < options.warmupRuns() ? "warm-up" : "run " + (run - options.warmupRuns() + 1),
                    result.perSecond(), result.incomplete() == 0 ? "" : " (" + result.incomplete() + " failed)");
        }
        return new ThroughputPhase(name, runs);
    }

    private static LatencyResult latency(String name, LibraryBus bus, Options options, PrintStream progress)
            throws Exception {
        LatencyProbe probe = new LatencyProbe(name, options.rate(), options.events(options.latencyWarmup()),
                Math.max(1, options.events(options.latencyDuration())));
        LatencyResult result = bus.latency(probe, options.inFlight(),
                options.latencyDuration().plus(options.latencyWarmup()).plus(PATIENCE));
        progress.printf(Locale.ROOT, "latency %-24s p50 %.2f ms, p99 %.2f ms, %d/%d received%n", name,
                result.fromIntended().p50(), result.fromIntended().p99(), result.received(), result.expected());
        return result;
    }

    /** Asks until the answer is {@code wanted}; the admin connection may be reconnecting meanwhile. */
    private static <T> T await(String what, Callable<T> question, Predicate<T> wanted) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        String last = "";
        while (true) {
            try {
                T answer = question.call();
                if (answer != null && wanted.test(answer)) {
                    return answer;
                }
                last = String.valueOf(answer);
            } catch (Exception e) {
                last = e.toString();
            }
            requireBefore(deadline, "no " + what + " (" + last + ")");
            Thread.sleep(20);
        }
    }

    /** After a kill: the JetStream meta leader answers (it makes consumers) and the stream has a leader other than the dead node. */
    private static String awaitLeaders(Connection admin, String stream, String dead) throws Exception {
        // Short requests, so that one sent to a node just killed or to a leader not yet elected is soon asked again.
        JetStreamManagement jsm = admin.jetStreamManagement(
                JetStreamOptions.builder().requestTimeout(Duration.ofMillis(250)).build());
        await("JetStream meta leader", jsm::getAccountStatistics, answer -> true);
        return await("stream leader", () -> jsm.getStreamInfo(stream).getClusterInfo(),
                info -> info.getLeader() != null && !info.getLeader().equals(dead)).getLeader();
    }

    private static void requireBefore(long deadline, String failure) {
        if (System.nanoTime() > deadline) {
            throw new IllegalStateException(failure + " within " + PATIENCE);
        }
    }

    /**
     * Sizes, as {@code name=value} arguments or {@code -Dbench.name=value} properties.
     *
     * @param checkInterval the buses' {@code consumer-check-interval} in the recovery phase (the library's default: 5 s)
     */
    record Options(int repetitions, Duration checkInterval, int messages, int runs, int warmupRuns, int inFlight,
            int rate, Duration latencyDuration, Duration latencyWarmup) {

        static final String USAGE = """
                Arguments (each also as -Dbench.<name>=<value>):
                  repetitions=5          empty-store restarts of the single server
                  checkInterval=5        the buses' consumer-check-interval in seconds during those
                  messages=50000         messages per publish run on the cluster
                  runs=3 warmupRuns=2    timed and untimed publish runs per replica count (median reported)
                  inFlight=1000          publishes awaiting their PubAck at most
                  rate=1000              events/s in the latency phases
                  latencySeconds=5       recorded seconds per latency phase
                  latencyWarmupSeconds=1 unrecorded seconds before that""";

        static Options smoke() {
            return new Options(1, Duration.ofSeconds(1), 2_000, 1, 0, 1000, 1000, Duration.ofMillis(500),
                    Duration.ofMillis(200));
        }

        static Options parse(String[] args, Properties properties) {
            Map<String, String> values = OptionArgs.collect(args, properties, Set.of("natsUrl"), USAGE);
            Set<String> known = Set.of("repetitions", "checkInterval", "messages", "runs", "warmupRuns", "inFlight",
                    "rate", "latencySeconds", "latencyWarmupSeconds");
            values.keySet().stream().filter(name -> !known.contains(name)).findFirst().ifPresent(name -> {
                throw new IllegalArgumentException("Unknown option '" + name + "'\n" + USAGE);
            });
            try {
                return new Options(number(values, "repetitions", 5),
                        OptionArgs.seconds(values.getOrDefault("checkInterval", "5")),
                        number(values, "messages", 50_000), number(values, "runs", 3), number(values, "warmupRuns", 2),
                        number(values, "inFlight", 1000), number(values, "rate", 1000),
                        OptionArgs.seconds(values.getOrDefault("latencySeconds", "5")),
                        OptionArgs.seconds(values.getOrDefault("latencyWarmupSeconds", "1")));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("Not a number: " + e.getMessage() + "\n" + USAGE);
            }
        }

        private static int number(Map<String, String> values, String name, int fallback) {
            int value = Integer.parseInt(values.getOrDefault(name, Integer.toString(fallback)).replace("_", ""));
            if (value < (name.equals("warmupRuns") ? 0 : 1)) {
                throw new IllegalArgumentException(name + " must be at least 1\n" + USAGE);
            }
            return value;
        }

        int events(Duration duration) {
            return (int) (rate * duration.toMillis() / 1000);
        }
    }

    /** Every figure of one run and how to print it. {@code latency}: R1 and R3 all up, R3 follower down, R3 leader down. */
    record Report(String environment, Options options, List<Duration> recoveries, ThroughputPhase r1, ThroughputPhase r3,
            List<LatencyResult> latency, Duration election) {

        static final Duration RECOVERY_GOAL = Duration.ofSeconds(5);

        Duration medianRecovery() {
            List<Duration> sorted = recoveries.stream().sorted().toList();
            return sorted.get(sorted.size() / 2);
        }

        Duration maxRecovery() {
            return recoveries.stream().max(Duration::compareTo).orElseThrow();
        }

        void print(PrintStream out) {
            out.println();
            out.println("== Ticketing event bus: recovery and a NATS cluster ==");
            out.println("environment  " + environment);
            out.printf(Locale.ROOT, "%nrecovery after an empty-store restart, single server, consumer-check-interval %s%n",
                    options.checkInterval().toString().substring(2).toLowerCase(Locale.ROOT));
            out.printf(Locale.ROOT, "  median %d ms, max %d ms over %d (goal <= %d s: %s); runs (ms): %s%n",
                    medianRecovery().toMillis(), maxRecovery().toMillis(), recoveries.size(), RECOVERY_GOAL.toSeconds(),
                    maxRecovery().compareTo(RECOVERY_GOAL) <= 0 ? "meets it" : "MISSES it",
                    recoveries.stream().map(d -> Long.toString(d.toMillis())).toList());
            out.printf(Locale.ROOT, "%nlibrary publishAsync on the 3-node cluster, %,d msg/run, %d in flight, median of %d%n",
                    options.messages(), options.inFlight(), options.runs());
            for (ThroughputPhase phase : List.of(r1, r3)) {
                out.printf(Locale.ROOT, "  %-4s %,10.0f msg/s   runs %s%s%n", phase.name(), phase.median(),
                        phase.runs().stream().map(run -> String.format(Locale.ROOT, "%,.0f", run.perSecond())).toList(),
                        phase.incomplete() == 0 ? "" : "  (" + phase.incomplete() + " failed!)");
            }
            out.printf(Locale.ROOT, "  R3 / R1 %.2f%n", r1.median() == 0 ? 0 : r3.median() / r1.median());
            out.printf(Locale.ROOT, "%nlatency publish -> handler, ms from due time, at %d events/s (%d recorded per row)%n",
                    options.rate(), latency.get(0).expected());
            out.printf(Locale.ROOT, "  %-24s %8s %8s %8s %8s %9s   %-17s %s%n", "", "p50", "p90", "p99", "p99.9", "max",
                    "from send p50/p99", "received");
            for (LatencyResult result : latency) {
                Percentiles due = result.fromIntended();
                out.printf(Locale.ROOT, "  %-24s %8.2f %8.2f %8.2f %8.2f %9.2f   %7.2f / %7.2f %d/%d%n", result.name(),
                        due.p50(), due.p90(), due.p99(), due.p999(), due.max(), result.fromSend().p50(),
                        result.fromSend().p99(), result.received(), result.expected());
            }
            Percentiles one = latency.get(0).fromIntended();
            Percentiles three = latency.get(1).fromIntended();
            out.printf(Locale.ROOT, "  R3 / R1: p50 %.2f, p99 %.2f; new stream leader (and meta leader answering) %d ms after the old one was killed%n%n",
                    three.p50() / one.p50(), three.p99() / one.p99(), election.toMillis());
        }
    }
}
