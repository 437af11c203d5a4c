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
import java.util.concurrent.ThreadLocalRandom;

/**
 * Issue 5, target (d): with several orders-service replicas sharing the durable, the ticket replica applies a burst
 * of {@code ticket.updated} events (tickets x versions, published straight to the bus, as many editors at once would
 * look to orders-service) at no less than half the rate the bus delivers the same events to a no-op durable. Each
 * burst carries versions 1..n of fresh tickets made through HTTP; the replica is timed from the first publish until
 * its database shows every ticket at its final version.
 *
 * <p>The bus's rate is taken on a scratch nats-server, as the replica got the events: live, a no-op durable consuming
 * before the burst is published (the replica's clock); and replayed, new durables reading the stream (delivery
 * alone). Not read back from the stack's server afterwards: nats-server 2.9 then serves a filtered consumer from
 * expired block caches, ten times slower, which is not how the replica received them.
 */
final class ReplicaBurst {

    static final double TARGET_RATIO = 0.5;
    private static final String STREAM = "TICKETING";
    private static final String ORDERS_DURABLE = "orders-service-ticket-updated";
    private static final int IN_FLIGHT = 1000;
    private static final int BUS_READERS = 3;
    private static final Duration BURST_TIMEOUT = Duration.ofMinutes(3);
    /** Shares of the burst applied at which the time is noted: a long tail shows as a late 100 % mark. */
    private static final double[] MARKS = {0.5, 0.9, 0.99, 1.0};

    private final BenchStack stack;
    private final EdgeHttp http;
    private final ServiceBenchmark options;
    private final PrintStream progress;
    private int busReaders;

    ReplicaBurst(BenchStack stack, EdgeHttp http, ServiceBenchmark options, PrintStream progress) {
        this.stack = stack;
        this.http = http;
        this.options = options;
        this.progress = progress;
    }

    Result run() throws Exception {
        List<BurstRun> runs = new ArrayList<>();
        try (ReplicaView view = new ReplicaView(stack.mongoUri());
                Connection admin = Nats.connect(stack.natsUrl());
                NatsEventBus publisher = LibraryBus.ready(LibraryBus.start(stack.natsUrl(), "bench-burst", settings -> settings));
                NatsServer scratch = TestServers.dedicatedNats();
                Connection scratchAdmin = Nats.connect(scratch.url());
                NatsEventBus scratchPublisher = LibraryBus.ready(
                        LibraryBus.start(scratch.url(), "bench-ceiling", settings -> settings))) {
            Bus bus = new Bus(publisher, admin.jetStreamManagement(), stack.natsUrl());
            Bus ceiling = new Bus(scratchPublisher, scratchAdmin.jetStreamManagement(), scratch.url());
            for (int run = options.burstWarmupVersions > 0 ? 0 : 1; run <= options.burstRuns; run++) {
                int versions = run == 0 ? options.burstWarmupVersions : options.burstVersions;
                BurstRun burst = burst(versions, view, bus, ceiling);
                if (run > 0) {
                    runs.add(burst);
                }
                report(run == 0 ? "warm-up" : "run " + run + "/" + options.burstRuns, burst);
            }
        }
        return new Result(options.burstTickets, options.burstVersions, options.ordersReplicas, options.interleaved(),
                runs);
    }

    /** A bus to publish on and its server's management: the stack's, or the scratch server's. */
    private record Bus(NatsEventBus publisher, JetStreamManagement jsm, String url) {

        Run publish(List<EventEnvelope> events) throws InterruptedException {
            Run published = Load.window(events.size(), IN_FLIGHT, BURST_TIMEOUT,
                    i -> publisher.publishAsync(events.get(i)));
            if (published.incomplete() > 0) {
                throw new IllegalStateException(published.incomplete() + " burst events were not acknowledged by NATS");
            }
            return published;
        }
    }

    private BurstRun burst(int versions, ReplicaView view, Bus bus, Bus ceiling) throws Exception {
        List<String> ids = new ArrayList<>();
        String userId = "";
        for (int i = 0; i < options.burstTickets; i++) {
            EdgeHttp.Answer answer = http.newTicket("Burst " + i, "15");
            ids.add(answer.id());
            userId = answer.json().path("userId").asString();
        }
        view.await(ids, 0, Duration.ofSeconds(60), "burst set-up");
        long batch = ThreadLocalRandom.current().nextLong();
        List<EventEnvelope> events = events(ids, versions, userId, batch);
        long deliveredBefore = bus.jsm().getConsumerInfo(STREAM, ORDERS_DURABLE).getDelivered().getConsumerSequence();
        List<Long> orders = stack.pids(ServiceBenchmark.ORDERS);
        List<Long> nats = stack.natsPids();
        long ordersCpu = Figures.cpuNanos(orders);
        long natsCpu = Figures.cpuNanos(nats);
        long ownCpu = Figures.ownCpuNanos();
        long start = System.nanoTime();
        double publishSeconds = bus.publish(events).seconds();
        double[] reached = awaitApplied(view, ids, events.size(), start);
        double ordersSeconds = (Figures.cpuNanos(orders) - ordersCpu) / 1e9;
        double natsSeconds = (Figures.cpuNanos(nats) - natsCpu) / 1e9;
        double ownSeconds = (Figures.ownCpuNanos() - ownCpu) / 1e9;
        long deliveries = bus.jsm().getConsumerInfo(STREAM, ORDERS_DURABLE).getDelivered().getConsumerSequence()
                - deliveredBefore;

        List<Double> live = new ArrayList<>();
        for (int reader = 0; reader < BUS_READERS; reader++) {
            // Event ids of its own each time: the server would drop the same ids as repeats within its dedup window.
            long own = batch ^ ThreadLocalRandom.current().nextLong();
            List<EventEnvelope> renamed = new ArrayList<>();
            for (int i = 0; i < events.size(); i++) {
                renamed.add(new EventEnvelope(new UUID(own, i), events.get(i).payload(), events.get(i).occurredAt()));
            }
            ceiling.jsm().purgeStream(STREAM);
            live.add(noOpRead(ceiling, renamed, own, true));
        }
        ceiling.jsm().purgeStream(STREAM);
        ceiling.publish(events);
        List<Double> replay = new ArrayList<>();
        for (int reader = 0; reader < BUS_READERS; reader++) {
            replay.add(noOpRead(ceiling, events, batch, false));
        }
        return new BurstRun(events.size(), publishSeconds, reached[3], reached[0], reached[1], reached[2], deliveries,
                events.size(), median(live, Double::doubleValue), median(replay, Double::doubleValue), ordersSeconds,
                natsSeconds, ownSeconds);
    }

    /**
     * A new no-op durable gets the events of the batch: {@code live}, subscribed before they are published and timed
     * from the first publish; otherwise reading them from the stream, timed from the subscribe call.
     */
    private double noOpRead(Bus ceiling, List<EventEnvelope> events, long batch, boolean live) throws Exception {
        Load.Arrivals arrivals = new Load.Arrivals(events.size());
        String service = "bench-noop-" + ++busReaders;
        try (NatsEventBus noop = LibraryBus.ready(LibraryBus.start(ceiling.url(), service, settings -> settings))) {
            long start = System.nanoTime();
            noop.subscribe(TicketUpdated.class, (event, metadata) -> {
                if (metadata.eventId().getMostSignificantBits() == batch) {
                    arrivals.arrived();
                }
                return Verdict.APPLIED;
            });
            if (live) {
                LibraryBus.ready(noop); // ready now means its subscription is consuming too
                start = System.nanoTime();
                ceiling.publish(events);
            }
            return arrivals.await(start, Duration.ofMinutes(1), "the no-op durable " + service);
        }
    }

    /** Versions 1..n of each ticket, with ids {@code UUID(batch, i)}; interleaved or ticket by ticket. */
    private List<EventEnvelope> events(List<String> ids, int versions, String userId, long batch) {
        List<EventEnvelope> events = new ArrayList<>();
        for (int i = 0; i < ids.size() * versions; i++) {
            int ticket = options.interleaved() ? i % ids.size() : i / versions;
            long next = 1 + (options.interleaved() ? i / ids.size() : i % versions);
            events.add(new EventEnvelope(new UUID(batch, i), new TicketUpdated(ids.get(ticket), next, "Burst v" + next,
                    BigDecimal.valueOf(10 + next % 90), userId, null), Instant.now()));
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
        long applied = 0;
        int mark = 0;
        while (applied < events) {
            if (System.nanoTime() > start + BURST_TIMEOUT.toNanos()) {
                throw new IllegalStateException("The replica applied " + applied + " of " + events + " burst events "
                        + BURST_TIMEOUT + " after the burst began");
            }
            // Every 10 ms: each poll costs this JVM (which hosts the MongoDB server) a query over every burst ticket.
            Thread.sleep(10);
            applied = view.versions(ids).values().stream().mapToLong(Long::longValue).sum();
            while (mark < MARKS.length && applied >= Math.ceil(events * MARKS[mark])) {
                reached[mark++] = (System.nanoTime() - start) / 1e9;
            }
        }
        return reached;
    }

    private void report(String label, BurstRun run) {
        progress.printf(Locale.ROOT, "burst    %-9s %,d events: replica %,.0f ev/s (%.2f s; 50/90/99 %% at"
                        + " %.2f/%.2f/%.2f s; %.2f deliveries/event), bus no-op live %,.0f ev/s (%.3f s), replay"
                        + " %,.0f ev/s (%.3f s); published in %.2f s; CPU s orders %.1f, nats %.1f, this JVM %.1f%n",
                label, run.events(),
                run.replicaRate(), run.replicaSeconds(), run.seconds50(), run.seconds90(), run.seconds99(),
                run.deliveriesPerEvent(), run.busLiveRate(), run.busLiveSeconds(), run.busReplayRate(),
                run.busReplaySeconds(), run.publishSeconds(), run.ordersCpuSeconds(), run.natsCpuSeconds(),
                run.benchmarkCpuSeconds());
    }

    /**
     * One burst and the bus's delivery of the same events. {@code seconds50}: from the first publish until half the
     * events were applied (likewise 90 %, 99 %, and all in {@code replicaSeconds}); {@code deliveries}: by the orders
     * durable meanwhile, redeliveries included; the bus's figures are the medians of its no-op durables; CPU seconds
     * of the orders processes, nats-server and this JVM (the MongoDB server, the publisher, the poller).
     */
    record BurstRun(int events, double publishSeconds, double replicaSeconds, double seconds50, double seconds90,
            double seconds99, long deliveries, long busDelivered, double busLiveSeconds, double busReplaySeconds,
            double ordersCpuSeconds, double natsCpuSeconds, double benchmarkCpuSeconds) {

        double replicaRate() {
            return events / replicaSeconds;
        }

        double busLiveRate() {
            return busDelivered / busLiveSeconds;
        }

        double busReplayRate() {
            return busDelivered / busReplaySeconds;
        }

        double deliveriesPerEvent() {
            return (double) deliveries / events;
        }
    }

    /** Target (d): the ratio of the medians against the bus's live rate; against its replay rate beside it. */
    record Result(int tickets, int versions, int ordersReplicas, boolean interleaved, List<BurstRun> runs) {

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
            Table table = new Table(f("burst: %d tickets x %d versions, %s, %d orders-service replica(s) (medians)",
                    tickets, versions, interleaved ? "interleaved" : "ticket by ticket", ordersReplicas), "run",
                    "replica ev/s", "replica s", "50/90/99 % applied s", "deliv./event", "bus live ev/s",
                    "bus replay ev/s", "publish s", "CPU s orders/nats/JVM");
            for (int i = 0; i < runs.size(); i++) {
                BurstRun run = runs.get(i);
                table.row(i + 1, f("%,.0f", run.replicaRate()), f("%.2f", run.replicaSeconds()),
                        f("%.2f/%.2f/%.2f", run.seconds50(), run.seconds90(), run.seconds99()),
                        f("%.2f", run.deliveriesPerEvent()), f("%,.0f", run.busLiveRate()),
                        f("%,.0f", run.busReplayRate()), f("%.2f", run.publishSeconds()), f("%.1f/%.1f/%.1f",
                                run.ordersCpuSeconds(), run.natsCpuSeconds(), run.benchmarkCpuSeconds()));
            }
            table.print(out);
        }
    }
}
