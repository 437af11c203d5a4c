package dev.ticketing.benchmarks;

import static dev.ticketing.benchmarks.Figures.f;
import static dev.ticketing.benchmarks.Figures.ratio;

import dev.ticketing.benchmarks.Figures.Latency;
import dev.ticketing.benchmarks.Figures.Run;
import dev.ticketing.benchmarks.Figures.Runs;
import dev.ticketing.benchmarks.Figures.Table;
import dev.ticketing.events.TicketCreated;
import dev.ticketing.events.bus.EventBusSettings;
import dev.ticketing.events.bus.NatsEventBus;
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
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Issue 12, part 7, in one run: how long the bus takes to consume again after its only nats-server came back
 * with an empty store; on a three-node cluster, library publish throughput and publish → handler latency with
 * the stream replicated once and three times; and the R3 latency while a follower, then the stream leader, is
 * down. Starts its own servers (test-support's nats-server processes).
 */
@Command(name = "cluster", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "Recovery after an empty-store restart, and R1 vs R3 on a 3-node NATS cluster.")
final class ClusterBenchmark implements Callable<Integer> {

    private static final Duration PATIENCE = Duration.ofSeconds(60);
    static final Duration RECOVERY_GOAL = Duration.ofSeconds(5);

    @Spec
    CommandSpec spec;
    @Option(names = "--repetitions", defaultValue = "5", description = "empty-store restarts of the single server")
    int repetitions;
    @Option(names = "--checkInterval", defaultValue = "5",
            description = "the buses' consumer-check-interval in seconds during those")
    double checkInterval;
    @Option(names = "--messages", defaultValue = "50000", description = "messages per publish run on the cluster")
    int messages;
    @Option(names = "--runs", defaultValue = "3", description = "timed publish runs per replica count (median reported)")
    int runs;
    @Option(names = "--warmupRuns", defaultValue = "2", description = "untimed publish runs per replica count first")
    int warmupRuns;
    @Option(names = "--inFlight", defaultValue = "1000", description = "publishes awaiting their PubAck at most")
    int inFlight;
    @Option(names = "--rate", defaultValue = "1000", description = "events/s in the latency phases")
    int rate;
    @Option(names = "--latencySeconds", defaultValue = "5", description = "recorded seconds per latency phase")
    double latencySeconds;
    @Option(names = "--latencyWarmupSeconds", defaultValue = "1", description = "unrecorded seconds before that")
    double latencyWarmupSeconds;

    @Override
    public Integer call() throws Exception {
        Benchmarks.require(spec, repetitions >= 1 && messages >= 1 && runs >= 1 && warmupRuns >= 0 && inFlight >= 1
                && rate >= 1 && checkInterval > 0 && latencySeconds > 0 && latencyWarmupSeconds >= 0,
                "every size must be positive (warmupRuns and latencyWarmupSeconds may be 0)");
        run(System.out).print(System.out);
        return 0;
    }

    Report run(PrintStream progress) throws Exception {
        double loadBefore = Cpu.loadAverage();
        List<Duration> recoveries;
        try (NatsServer server = TestServers.dedicatedNats()) {
            recoveries = recoveries(server, progress);
        }
        try (NatsCluster cluster = TestServers.natsCluster();
                Connection admin = Nats.connect(new io.nats.client.Options.Builder()
                        .servers(cluster.urls().toArray(String[]::new)).maxReconnects(-1).build())) {
            String stream = EventBusSettings.Stream.DEFAULT.name();
            // Generous: a cluster re-electing on a busy 2-core machine can take longer than jnats' default 2 s.
            JetStreamManagement jsm = admin.jetStreamManagement(
                    JetStreamOptions.builder().requestTimeout(Duration.ofSeconds(10)).build());
            List<Runs> publish = new ArrayList<>();
            List<Latency> latency = new ArrayList<>();
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
                        publish.add(throughput("R" + replicas, bus, janitor, stream, progress));
                        latency.add(latency("R" + replicas + ", all up", bus, progress));
                        if (replicas == 3) {
                            String leader = jsm.getStreamInfo(stream).getClusterInfo().getLeader();
                            ProcessNatsServer follower = cluster.nodes().stream()
                                    .filter(node -> !node.name().equals(leader)).findFirst().orElseThrow();
                            follower.kill();
                            awaitLeaders(admin, stream, follower.name());
                            bus.awaitPublisherReady();
                            latency.add(latency("R3, follower " + follower.name() + " down", bus, progress));
                            follower.start();

                            ProcessNatsServer killed = cluster.node(leader);
                            long killedAt = System.nanoTime();
                            killed.kill();
                            String next = awaitLeaders(admin, stream, leader);
                            election = Duration.ofNanos(System.nanoTime() - killedAt);
                            progress.printf(Locale.ROOT, "stream leader %s killed: %s leads, and the meta leader answers, after %d ms%n", leader, next,
                                    election.toMillis());
                            bus.awaitPublisherReady();
                            latency.add(latency("R3, leader " + leader + " down", bus, progress));
                            killed.start();
                        }
                    }
                }
            }
            return new Report("nats-server %s (single and 3-node cluster, processes on loopback), jnats %s, JDK %s, %d CPUs, load average %.1f before / %.1f after"
                    .formatted(admin.getServerInfo().getVersion(), Nats.CLIENT_VERSION, Runtime.version(),
                            Runtime.getRuntime().availableProcessors(), loadBefore, Cpu.loadAverage()),
                    this, recoveries, publish.get(0), publish.get(1), latency, election);
        }
    }

    /**
     * The server is killed, its store wiped, and started again; timed from {@code start()} returning (the server
     * answers) to the handling of the first event published after it, published again until one is stored.
     */
    private List<Duration> recoveries(NatsServer server, PrintStream progress) throws Exception {
        Workload workload = new Workload(EventBusSettings.Stream.DEFAULT.name());
        AtomicLong batch = new AtomicLong();
        AtomicLong handledAt = new AtomicLong();
        List<Duration> recoveries = new ArrayList<>();
        try (NatsEventBus publisher = BusClients.awaitReady(bus(server.url(), "bench-publisher"));
                NatsEventBus consumer = bus(server.url(), "bench-consumer")) {
            consumer.subscribe(TicketCreated.class, (event, metadata) -> {
                if (metadata.eventId().getMostSignificantBits() == batch.get()) {
                    handledAt.compareAndSet(0, System.nanoTime());
                }
            });
            BusClients.awaitReady(consumer);
            for (int i = 0; i < repetitions; i++) {
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
                        repetitions, (stored - answering) / 1_000_000, recovery.toMillis());
                BusClients.awaitReady(publisher);
                BusClients.awaitReady(consumer);
            }
        }
        return recoveries;
    }

    private NatsEventBus bus(String url, String service) {
        return NatsEventBus.start(EventBusSettings.of(url, service).withInstanceName("benchmark")
                .withChecks(Duration.ofMillis(Math.round(checkInterval * 1000)), Duration.ofSeconds(30)),
                new SimpleMeterRegistry());
    }

    private Runs throughput(String name, LibraryBus bus, StreamJanitor janitor, String stream, PrintStream progress)
            throws Exception {
        List<Run> timed = new ArrayList<>();
        for (int run = 0; run < warmupRuns + runs; run++) {
            janitor.purge(stream);
            Run result = bus.publish(messages, inFlight, Duration.ofSeconds(30 + messages / 1_000));
            if (run >= warmupRuns) {
                timed.add(result);
            }
            progress.printf(Locale.ROOT, "publish %s %s %,10.0f msg/s%s%n", name,
                    run < warmupRuns ? "warm-up" : "run " + (run - warmupRuns + 1), result.perSecond(),
                    result.incomplete() == 0 ? "" : " (" + result.incomplete() + " failed)");
        }
        return new Runs(name, timed);
    }

    private Latency latency(String name, LibraryBus bus, PrintStream progress) throws Exception {
        LatencyProbe probe = new LatencyProbe(name, rate, (int) (rate * latencyWarmupSeconds),
                (int) Math.max(1, rate * latencySeconds));
        Latency result = bus.latency(probe, inFlight,
                Duration.ofMillis(Math.round((latencySeconds + latencyWarmupSeconds) * 1000)).plus(PATIENCE));
        progress.printf(Locale.ROOT, "latency %-24s p50 %.2f ms, p99 %.2f ms, %d/%d received%n", name,
                result.fromDue().p50(), result.fromDue().p99(), result.received(), result.expected());
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

    /** Every figure of one run. {@code latency}: R1 and R3 all up, R3 follower down, R3 leader down. */
    record Report(String environment, ClusterBenchmark options, List<Duration> recoveries, Runs r1, Runs r3,
            List<Latency> latency, Duration election) {

        Duration medianRecovery() {
            return recoveries.stream().sorted().toList().get(recoveries.size() / 2);
        }

        Duration maxRecovery() {
            return recoveries.stream().max(Duration::compareTo).orElseThrow();
        }

        void print(PrintStream out) {
            out.println();
            out.println("== Ticketing event bus: recovery and a NATS cluster ==");
            out.println("environment  " + environment);
            new Table(f("recovery after an empty-store restart, single server, consumer-check-interval %s s",
                    options.checkInterval), "", "median ms", "max ms", "runs (ms)", "goal")
                    .row(recoveries.size() + " restart(s)", medianRecovery().toMillis(), maxRecovery().toMillis(),
                            recoveries.stream().map(d -> Long.toString(d.toMillis())).toList(),
                            "<= " + RECOVERY_GOAL.toSeconds() + " s: "
                                    + (maxRecovery().compareTo(RECOVERY_GOAL) <= 0 ? "meets it" : "MISSES it"))
                    .print(out);
            Table publish = new Table(f("library publishAsync on the 3-node cluster, %,d msg/run, %d in flight, median"
                    + " of %d; R3 / R1 %.2f", options.messages, options.inFlight, options.runs,
                    ratio(r3.median(), r1.median())), "", "msg/s", "runs (msg/s)");
            for (Runs phase : List.of(r1, r3)) {
                publish.row(phase.name(), f("%,.0f", phase.median()),
                        phase.rates() + (phase.incomplete() == 0 ? "" : "  (" + phase.incomplete() + " failed!)"));
            }
            publish.print(out);
            Table table = new Table(f("latency publish -> handler, ms from due time, at %d events/s (%d recorded per"
                    + " row)", options.rate, latency.get(0).expected()), "", "p50", "p90", "p99", "p99.9", "max",
                    "send p50", "send p99", "received");
            for (Latency row : latency) {
                table.row(row.name(), row.fromDue().cells(), f("%.2f", row.fromSend().p50()),
                        f("%.2f", row.fromSend().p99()), row.received() + "/" + row.expected());
            }
            table.print(out);
            Figures.Percentiles one = latency.get(0).fromDue();
            Figures.Percentiles three = latency.get(1).fromDue();
            out.printf(Locale.ROOT, "  R3 / R1: p50 %.2f, p99 %.2f; new stream leader (and meta leader answering) %d ms"
                    + " after the old one was killed%n%n", three.p50() / one.p50(), three.p99() / one.p99(),
                    election.toMillis());
        }
    }
}
