package dev.ticketing.benchmarks;

import static dev.ticketing.benchmarks.Figures.f;
import static dev.ticketing.benchmarks.Figures.ratio;
import static dev.ticketing.benchmarks.Figures.seconds;

import dev.ticketing.benchmarks.Figures.Latency;
import dev.ticketing.benchmarks.Figures.Percentiles;
import dev.ticketing.benchmarks.Figures.Run;
import dev.ticketing.benchmarks.Figures.Runs;
import dev.ticketing.benchmarks.Figures.Table;
import dev.ticketing.events.EventEnvelope;
import dev.ticketing.events.TicketCreated;
import dev.ticketing.events.bus.EventBusSettings;
import dev.ticketing.events.bus.NatsEventBus;
import dev.ticketing.events.bus.Verdict;
import dev.ticketing.testsupport.NatsCluster;
import dev.ticketing.testsupport.NatsServer;
import dev.ticketing.testsupport.ProcessNatsServer;
import dev.ticketing.testsupport.TestServers;
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
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Issue 12, part 7: recovery after an empty-store restart; on a three-node cluster, publish throughput and latency
 * at R1 and R3, and the R3 latency while a follower, then the stream leader, is down.
 */
@Command(name = "cluster", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "Recovery after an empty-store restart, and R1 vs R3 on a 3-node NATS cluster.")
final class ClusterBenchmark implements Callable<Integer> {

    private static final Duration PATIENCE = Duration.ofSeconds(60);
    static final Duration RECOVERY_GOAL = Duration.ofSeconds(5);

    @Option(names = "--repetitions", defaultValue = "5", description = "empty-store restarts") int repetitions;
    @Option(names = "--checkInterval", defaultValue = "5", description = "the buses' consumer-check-interval, s, then")
    double checkInterval;
    @Option(names = "--messages", defaultValue = "50000", description = "messages per publish run") int messages;
    @Option(names = "--runs", defaultValue = "3", description = "timed publish runs per replica count") int runs;
    @Option(names = "--warmupRuns", defaultValue = "2", description = "untimed publish runs first") int warmupRuns;
    @Option(names = "--inFlight", defaultValue = "1000", description = "publishes awaiting their PubAck") int inFlight;
    @Option(names = "--rate", defaultValue = "1000", description = "events/s in the latency phases") int rate;
    @Option(names = "--latencySeconds", defaultValue = "5", description = "recorded seconds per latency phase")
    double latencySeconds;
    @Option(names = "--latencyWarmupSeconds", defaultValue = "1", description = "unrecorded seconds first")
    double latencyWarmupSeconds;

    @Override
    public Integer call() throws Exception {
        run(System.out).print(System.out);
        return 0;
    }

    Report run(PrintStream progress) throws Exception {
        double loadBefore = Figures.loadAverage();
        List<Duration> recoveries;
        try (NatsServer server = TestServers.dedicatedNats()) {
            recoveries = recoveries(server, progress);
        }
        String stream = EventBusSettings.Stream.DEFAULT.name();
        List<Runs> publish = new ArrayList<>();
        List<Latency> latency = new ArrayList<>();
        Duration election = Duration.ZERO;
        try (NatsCluster cluster = TestServers.natsCluster();
                Connection admin = Nats.connect(new io.nats.client.Options.Builder()
                        .servers(cluster.urls().toArray(String[]::new)).maxReconnects(-1).build())) {
            // Generous: a cluster re-electing on a busy 2-core machine can take longer than jnats' default 2 s.
            JetStreamManagement jsm = admin.jetStreamManagement(
                    JetStreamOptions.builder().requestTimeout(Duration.ofSeconds(10)).build());
            StreamJanitor janitor = new StreamJanitor(jsm); // the cluster goes at the end: no stream to delete
            for (int replicas : new int[] {1, 3}) {
                EventBusSettings.Stream replicated = new EventBusSettings.Stream(stream, replicas, Duration.ZERO,
                        Duration.ofMinutes(2));
                // One set of buses per replica count: a bus aligns the stream to its own settings on every check.
                try (LibraryBus bus = new LibraryBus(cluster.url(), janitor,
                        settings -> settings.withStream(replicated))) {
                    // From R1 to R3 the stream gains two copies: wait until both are current.
                    Load.await("all " + replicas + " copies current", PATIENCE, 20,
                            () -> jsm.getStreamInfo(stream).getClusterInfo(),
                            info -> replicas == 1 || info.getReplicas() != null
                                    && info.getReplicas().size() == replicas - 1
                                    && info.getReplicas().stream().allMatch(Replica::isCurrent));
                    List<Run> timed = new ArrayList<>();
                    for (int run = 0; run < warmupRuns + runs; run++) {
                        janitor.purge(stream);
                        Run result = bus.publish(messages, inFlight, Duration.ofSeconds(30 + messages / 1_000),
                                LibraryBus.newEvents());
                        if (run >= warmupRuns) {
                            timed.add(result);
                        }
                        progress.printf(Locale.ROOT, "publish R%d %s %,10.0f msg/s%s%n", replicas,
                                Figures.label(run, warmupRuns, runs), result.perSecond(),
                                result.incomplete() == 0 ? "" : " (" + result.incomplete() + " failed)");
                    }
                    publish.add(new Runs("R" + replicas, timed));
                    latency.add(latency("R" + replicas + ", all up", bus, progress));
                    if (replicas == 3) {
                        String leader = jsm.getStreamInfo(stream).getClusterInfo().getLeader();
                        ProcessNatsServer follower = cluster.nodes().stream()
                                .filter(node -> !node.name().equals(leader)).findFirst().orElseThrow();
                        for (ProcessNatsServer down : List.of(follower, cluster.node(leader))) {
                            long killedAt = System.nanoTime();
                            down.kill();
                            awaitLeaders(admin, stream, down.name());
                            election = Duration.ofNanos(System.nanoTime() - killedAt); // the leader's kill is last
                            LibraryBus.ready(bus.publisher);
                            latency.add(latency(f("R3, %s %s down", down == follower ? "follower" : "leader",
                                    down.name()), bus, progress));
                            down.start();
                        }
                    }
                }
            }
            return new Report(Figures.environment("nats-server " + admin.getServerInfo().getVersion()
                    + " (single and 3-node cluster, processes on loopback)", loadBefore), this, recoveries,
                    publish.get(0), publish.get(1), latency, election);
        }
    }

    /**
     * The server is killed, its store wiped, and started again; timed from {@code start()} returning (the server
     * answers) to the handling of the first event published after it, published again until one is stored.
     */
    private List<Duration> recoveries(NatsServer server, PrintStream progress) throws Exception {
        AtomicReference<UUID> awaited = new AtomicReference<>();
        AtomicLong handledAt = new AtomicLong();
        List<Duration> recoveries = new ArrayList<>();
        UnaryOperator<EventBusSettings> checks = settings -> settings.withChecks(seconds(checkInterval),
                Duration.ofSeconds(30));
        try (NatsEventBus publisher = LibraryBus.ready(LibraryBus.start(server.url(), "bench-publisher", checks));
                NatsEventBus consumer = LibraryBus.start(server.url(), "bench-consumer", checks)) {
            consumer.subscribe(TicketCreated.class, (event, metadata) -> {
                if (metadata.eventId().equals(awaited.get())) {
                    handledAt.compareAndSet(0, System.nanoTime());
                }
                return Verdict.APPLIED;
            });
            LibraryBus.ready(consumer);
            for (int i = 0; i < repetitions; i++) {
                EventEnvelope event = LibraryBus.newEvents().apply(0);
                handledAt.set(0);
                awaited.set(event.eventId());
                server.wipeStore();
                server.start();
                long answering = System.nanoTime();
                long stored = Load.await("event stored after an empty-store restart", PATIENCE, 20, () -> {
                    // Until reconnected and the stream made again: the same event id, again.
                    publisher.publish(event);
                    return System.nanoTime();
                }, at -> true);
                Load.await("stored event handled after an empty-store restart", PATIENCE, 20, handledAt::get,
                        at -> at != 0);
                Duration recovery = Duration.ofNanos(handledAt.get() - answering);
                recoveries.add(recovery);
                progress.printf(Locale.ROOT, "recovery %d/%d: stored after %d ms, handled after %d ms%n", i + 1,
                        repetitions, (stored - answering) / 1_000_000, recovery.toMillis());
                LibraryBus.ready(publisher);
                LibraryBus.ready(consumer);
            }
        }
        return recoveries;
    }

    private Latency latency(String name, LibraryBus bus, PrintStream progress) throws Exception {
        progress.println("latency " + name + " ...");
        return bus.latency(new Load.LatencyProbe(name, rate, latencyWarmupSeconds, latencySeconds), inFlight,
                seconds(latencySeconds + latencyWarmupSeconds).plus(PATIENCE));
    }

    /** After a kill: the JetStream meta leader answers (it makes consumers) and the stream has a leader alive. */
    private static void awaitLeaders(Connection admin, String stream, String dead) throws Exception {
        // Short requests, so that one sent to a node just killed or to a leader not yet elected is soon asked again.
        JetStreamManagement jsm = admin.jetStreamManagement(
                JetStreamOptions.builder().requestTimeout(Duration.ofMillis(250)).build());
        Load.await("JetStream meta leader", PATIENCE, 20, jsm::getAccountStatistics, answer -> true);
        Load.await("stream leader", PATIENCE, 20, () -> jsm.getStreamInfo(stream).getClusterInfo(),
                info -> info.getLeader() != null && !info.getLeader().equals(dead));
    }

    /** Every figure of one run. {@code latency}: R1 and R3 all up, R3 follower down, R3 leader down. */
    record Report(String environment, ClusterBenchmark sizes, List<Duration> recoveries, Runs r1, Runs r3,
            List<Latency> latency, Duration election) {

        void print(PrintStream out) {
            Duration median = recoveries.stream().sorted().toList().get(recoveries.size() / 2);
            Duration max = recoveries.stream().max(Duration::compareTo).orElseThrow();
            out.println();
            out.println("== Ticketing event bus: recovery and a NATS cluster ==");
            out.println("environment  " + environment);
            new Table(f("recovery after an empty-store restart, single server, consumer-check-interval %s s",
                    sizes.checkInterval), "", "median ms", "max ms", "goal", "runs (ms)")
                    .row(recoveries.size() + " restart(s)", median.toMillis(), max.toMillis(), "<= "
                            + RECOVERY_GOAL.toSeconds() + " s: " + (max.compareTo(RECOVERY_GOAL) <= 0 ? "meets it"
                            : "MISSES it"), recoveries.stream().map(d -> Long.toString(d.toMillis())).toList())
                    .print(out);
            new Table(f("library publishAsync on the 3-node cluster, %,d msg/run, %d in flight, median of %d; R3 / R1"
                    + " %.2f", sizes.messages, sizes.inFlight, sizes.runs, ratio(r3.median(), r1.median())),
                    "", "msg/s", "runs (msg/s)")
                    .row(r1.name(), f("%,.0f", r1.median()), r1.rates())
                    .row(r3.name(), f("%,.0f", r3.median()), r3.rates())
                    .print(out);
            Latency.print(out, latency);
            Percentiles one = latency.get(0).fromDue();
            Percentiles three = latency.get(1).fromDue();
            out.printf(Locale.ROOT, "  R3 / R1: p50 %.2f, p99 %.2f; new stream leader (and meta leader answering) %d ms"
                    + " after the old one was killed%n%n", three.p50() / one.p50(), three.p99() / one.p99(),
                    election.toMillis());
        }
    }
}
