package dev.ticketing.benchmarks;

import static dev.ticketing.benchmarks.Figures.f;
import static dev.ticketing.benchmarks.Figures.median;

import dev.ticketing.benchmarks.Figures.Run;
import dev.ticketing.benchmarks.Figures.Table;
import dev.ticketing.events.EventEnvelope;
import dev.ticketing.events.TicketUpdated;
import dev.ticketing.events.bus.NatsEventBus;
import dev.ticketing.events.bus.Verdict;
import dev.ticketing.testsupport.NatsServer;
import dev.ticketing.testsupport.TestServers;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * Issue 5, target (d): the orders replicas absorb a burst of {@code ticket.updated} at no less than half the rate the
 * bus delivers it to a no-op durable (live; replayed beside it), on a scratch nats-server: the stack's would serve a
 * replay from expired block caches, ten times slower (benchmarks/README.md, (d)).
 */
final class ReplicaBurst {

    static final double TARGET_RATIO = 0.5;
    private static final String ORDERS_DURABLE = "orders-service-ticket-updated";
    private static final int IN_FLIGHT = 1000;
    private static final int BUS_READERS = 3;
    private static final Duration BURST_TIMEOUT = Duration.ofMinutes(3);
    /** Shares of the burst applied at which the time is noted: a long tail shows as a late 100 % mark. */
    private static final double[] MARKS = {0.5, 0.9, 0.99, 1.0};
    private static final List<String> COLUMNS = List.of("replica ev/s", "replica s", "50/90/99 % applied s",
            "deliv./event", "bus live ev/s", "bus replay ev/s", "publish s", "CPU s orders/nats/JVM");

    private final BenchStack stack;
    private final EdgeHttp http;
    private final ServiceBenchmark options;
    private int busReaders;

    ReplicaBurst(BenchStack stack, EdgeHttp http, ServiceBenchmark options) {
        this.stack = stack;
        this.http = http;
        this.options = options;
    }

    Result run(PrintStream progress) throws Exception {
        List<BurstRun> runs = new ArrayList<>();
        try (ReplicaView view = new ReplicaView(stack.mongoUri());
                Connection admin = Nats.connect(stack.natsUrl());
                NatsServer scratch = TestServers.dedicatedNats();
                Connection scratchAdmin = Nats.connect(scratch.url());
                LibraryBus bus = new LibraryBus(stack.natsUrl(), new StreamJanitor(admin.jetStreamManagement()),
                        UnaryOperator.identity());
                LibraryBus ceiling = new LibraryBus(scratch.url(),
                        new StreamJanitor(scratchAdmin.jetStreamManagement()), UnaryOperator.identity())) {
            for (int run = options.burstWarmupVersions > 0 ? 0 : 1; run <= options.burstRuns; run++) {
                int versions = run == 0 ? options.burstWarmupVersions : options.burstVersions;
                BurstRun burst = burst(versions, view, bus, admin.jetStreamManagement(), ceiling,
                        scratchAdmin.jetStreamManagement());
                if (run > 0) {
                    runs.add(burst);
                }
                progress.printf(Locale.ROOT, "burst    %-9s %,d events: %,.0f events/s%n", run == 0 ? "warm-up"
                        : "run " + run + "/" + options.burstRuns, burst.events(), burst.replicaRate());
            }
        }
        return new Result(options.burstTickets, options.burstVersions, options.ordersReplicas, runs);
    }

    private BurstRun burst(int versions, ReplicaView view, LibraryBus bus, JetStreamManagement jsm, LibraryBus ceiling,
            JetStreamManagement scratch) throws Exception {
        List<String> ids = new ArrayList<>();
        String userId = "";
        for (int i = 0; i < options.burstTickets; i++) {
            EdgeHttp.Answer answer = http.createTicket("Burst " + i, "15");
            ids.add(answer.id());
            userId = answer.json().path("userId").asString();
        }
        view.await(ids, 0, Duration.ofSeconds(60), "burst set-up");
        List<EventEnvelope> events = events(ids, versions, userId, LibraryBus.newBatch());
        long deliveredBefore = jsm.getConsumerInfo(bus.stream, ORDERS_DURABLE).getDelivered().getConsumerSequence();
        Supplier<BenchStack.Cpu> cpu = stack.cpu(ServiceBenchmark.ORDERS);
        long start = System.nanoTime();
        double publishSeconds = publish(bus, events).seconds();
        double[] reached = awaitApplied(view, ids, events.size(), start);
        BenchStack.Cpu spent = cpu.get();
        long deliveries = jsm.getConsumerInfo(bus.stream, ORDERS_DURABLE).getDelivered().getConsumerSequence()
                - deliveredBefore;

        List<Double> live = new ArrayList<>();
        for (int reader = 0; reader < BUS_READERS; reader++) {
            scratch.purgeStream(ceiling.stream);
            // Event ids of its own each time: the server would drop the same ids as repeats within its dedup window.
            live.add(liveRead(ceiling, events(ids, versions, userId, LibraryBus.newBatch())));
        }
        scratch.purgeStream(ceiling.stream);
        publish(ceiling, events);
        List<Double> replay = new ArrayList<>();
        for (int reader = 0; reader < BUS_READERS; reader++) {
            replay.add(ceiling.consume(TicketUpdated.class, "bench-noop-" + ++busReaders, events.size(),
                    Duration.ofMinutes(1)).seconds());
        }
        return new BurstRun(events.size(), publishSeconds, reached, deliveries, median(live, Double::doubleValue),
                median(replay, Double::doubleValue), spent);
    }

    private static Run publish(LibraryBus bus, List<EventEnvelope> events) throws InterruptedException {
        Run published = bus.publish(events.size(), IN_FLIGHT, BURST_TIMEOUT, events::get);
        if (published.incomplete() > 0) {
            throw new IllegalStateException(published.incomplete() + " burst events were not acknowledged by NATS");
        }
        return published;
    }

    /** A new no-op durable, consuming before the events are published; timed from the first publish. */
    private double liveRead(LibraryBus ceiling, List<EventEnvelope> events) throws Exception {
        Load.Arrivals arrivals = new Load.Arrivals(events.size());
        String service = "bench-noop-" + ++busReaders;
        try (NatsEventBus noop = LibraryBus.start(ceiling.url, service, UnaryOperator.identity())) {
            noop.subscribe(TicketUpdated.class, (event, metadata) -> {
                arrivals.arrived();
                return Verdict.APPLIED;
            });
            LibraryBus.ready(noop); // ready now means its subscription is consuming too
            long start = System.nanoTime();
            publish(ceiling, events);
            return arrivals.await(start, Duration.ofMinutes(1), "the no-op durable " + service);
        }
    }

    /** Version 1 of every ticket, then version 2, ... up to {@code versions}, with ids {@code UUID(batch, i)}. */
    private static List<EventEnvelope> events(List<String> ids, int versions, String userId, long batch) {
        List<EventEnvelope> events = new ArrayList<>();
        for (int i = 0; i < ids.size() * versions; i++) {
            long next = 1 + i / ids.size();
            events.add(new EventEnvelope(new UUID(batch, i), new TicketUpdated(ids.get(i % ids.size()), next,
                    "Burst v" + next, BigDecimal.valueOf(10 + next % 90), userId, null), Instant.now()));
        }
        return events;
    }

    /**
     * Seconds after {@code start} at which each of the {@link #MARKS} was reached. Progress is the sum of the
     * tickets' replica versions: starting from 0, every applied event adds exactly 1.
     */
    private static double[] awaitApplied(ReplicaView view, List<String> ids, int events, long start)
            throws InterruptedException {
        double[] reached = new double[MARKS.length];
        int[] mark = {0};
        // Every 10 ms: each poll costs this JVM (which hosts the MongoDB server) a query over every burst ticket.
        Load.await("burst applied by the replica", BURST_TIMEOUT, 10,
                () -> view.versions(ids).values().stream().mapToLong(Long::longValue).sum(), applied -> {
                    while (mark[0] < MARKS.length && applied >= Math.ceil(events * MARKS[mark[0]])) {
                        reached[mark[0]++] = (System.nanoTime() - start) / 1e9;
                    }
                    return applied >= events;
                });
        return reached;
    }

    /**
     * One burst: {@code reached}, seconds after the first publish at each of the {@link #MARKS}; {@code deliveries} by
     * the orders durable, redeliveries included; the bus's medians of its no-op durables.
     */
    record BurstRun(int events, double publishSeconds, double[] reached, long deliveries, double busLiveSeconds,
            double busReplaySeconds, BenchStack.Cpu cpu) {

        double replicaRate() {
            return events / reached[3];
        }

        double busLiveRate() {
            return events / busLiveSeconds;
        }

        double busReplayRate() {
            return events / busReplaySeconds;
        }

        /** One cell per {@link #COLUMNS}. */
        List<String> cells() {
            return List.of(f("%,.0f", replicaRate()), f("%.2f", reached[3]),
                    f("%.2f/%.2f/%.2f", reached[0], reached[1], reached[2]), f("%.2f", (double) deliveries / events),
                    f("%,.0f", busLiveRate()) + f(" (%.3f s)", busLiveSeconds),
                    f("%,.0f", busReplayRate()) + f(" (%.3f s)", busReplaySeconds), f("%.2f", publishSeconds),
                    f("%.1f/%.1f/%.1f", cpu.service(), cpu.nats(), cpu.own()));
        }
    }

    /** Target (d): the ratio of the medians against the bus's live rate; against its replay rate beside it. */
    record Result(int tickets, int versions, int ordersReplicas, List<BurstRun> runs) {

        double replicaRate() {
            return median(runs, BurstRun::replicaRate);
        }

        double busLiveRate() {
            return median(runs, BurstRun::busLiveRate);
        }

        double busReplayRate() {
            return median(runs, BurstRun::busReplayRate);
        }

        double ratio() {
            return Figures.ratio(replicaRate(), busLiveRate());
        }

        double replayRatio() {
            return Figures.ratio(replicaRate(), busReplayRate());
        }

        boolean meetsTarget() {
            return ratio() >= TARGET_RATIO;
        }

        void print(PrintStream out) {
            Table table = new Table(f("burst: %d tickets x %d versions, interleaved, %d orders-service replica(s)"
                    + " (medians)", tickets, versions, ordersReplicas), "run", COLUMNS);
            for (int i = 0; i < runs.size(); i++) {
                table.row(i + 1, runs.get(i).cells());
            }
            table.print(out);
        }
    }
}
