package dev.ticketing.benchmarks;

import dev.ticketing.events.EventEnvelope;
import dev.ticketing.events.TicketUpdated;
import dev.ticketing.events.bus.NatsEventBus;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.api.ConsumerInfo;
import java.io.IOException;
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
 * Issue 5, target (d): with several orders-service replicas sharing the durable, the ticket replica applies a
 * burst of {@code ticket.updated} events (tickets x versions, published straight to the bus) at no less than
 * half the rate the bus delivers the same events to a no-op durable.
 *
 * <p>Each burst gets fresh tickets made through HTTP, so they exist in both services, and carries their versions
 * 1..n; it then bypasses the tickets service, as many editors at once would look to orders-service. The replica
 * is timed from the first publish until the database shows every ticket at its final version. The bus's rate is
 * measured on exactly the same events afterwards, by no-op durables on a scratch server, live (on the replica's
 * clock) and replayed from the stream (see {@link BusCeiling}).
 */
final class ReplicaBurst {

    private static final String STREAM = "TICKETING";
    private static final String ORDERS_DURABLE = "orders-service-ticket-updated";
    private static final int IN_FLIGHT = 1000;
    private static final Duration BURST_TIMEOUT = Duration.ofMinutes(3);
    /** Shares of the burst applied at which the time is noted: a long tail shows as a late 100 % mark. */
    static final double[] PROGRESS_MARKS = {0.5, 0.9, 0.99, 1.0};

    private final BenchStack stack;
    private final EdgeHttp http;
    private final String cookie;
    private final ServiceOptions options;
    private final PrintStream progress;

    private ReplicaBurst(BenchStack stack, EdgeHttp http, String cookie, ServiceOptions options, PrintStream progress) {
        this.stack = stack;
        this.http = http;
        this.cookie = cookie;
        this.options = options;
        this.progress = progress;
    }

    static BurstResult measure(BenchStack stack, EdgeHttp http, String cookie, ServiceOptions options,
            PrintStream progress) throws Exception {
        return new ReplicaBurst(stack, http, cookie, options, progress).run();
    }

    private BurstResult run() throws Exception {
        List<BurstRun> runs = new ArrayList<>();
        try (ReplicaView view = new ReplicaView(stack.mongoUri());
                BusCeiling ceiling = new BusCeiling();
                Connection admin = Nats.connect(stack.natsUrl());
                NatsEventBus publisher = BusClients.awaitReady(BusClients.start(stack.natsUrl(), "bench-burst"))) {
            JetStreamManagement jsm = admin.jetStreamManagement();
            if (options.burstWarmupVersions() > 0) {
                BurstRun warmup = burst(options.burstWarmupVersions(), view, jsm, publisher, ceiling);
                report("warm-up", warmup);
            }
            for (int run = 1; run <= options.burstRuns(); run++) {
                BurstRun timed = burst(options.burstVersions(), view, jsm, publisher, ceiling);
                runs.add(timed);
                report("run " + run + "/" + options.burstRuns(), timed);
            }
        }
        return new BurstResult(options.burstTickets(), options.burstVersions(), options.ordersReplicas(),
                options.burstInterleaved(), runs);
    }

    /** Every burst gets tickets of its own, made through HTTP: versions 1..n of fresh tickets, each time. */
    private BurstRun burst(int versions, ReplicaView view, JetStreamManagement jsm, NatsEventBus publisher,
            BusCeiling ceiling) throws Exception {
        List<String> ids = new ArrayList<>();
        String userId = "";
        for (int i = 0; i < options.burstTickets(); i++) {
            EdgeHttp.Answer answer = http.createTicket(cookie, "Burst " + i, "15");
            if (answer.status() != 201) {
                throw new IllegalStateException("POST /api/tickets answered " + answer.status() + ": " + answer.body());
            }
            ids.add(answer.ticket().id());
            userId = answer.json().path("userId").asString();
        }
        view.await(ids, 0, Duration.ofSeconds(60), "burst set-up");
        int events = ids.size() * versions;
        long batch = ThreadLocalRandom.current().nextLong();
        List<EventEnvelope> envelopes = envelopes(ids, versions, userId, batch);
        long deliveredBefore = delivered(jsm, ORDERS_DURABLE);
        List<Long> orders = stack.pids(BenchStack.ORDERS);
        List<Long> nats = stack.natsPids();
        long ordersCpu = ProcessCpu.nanos(orders);
        long natsCpu = ProcessCpu.nanos(nats);
        long ownCpu = CpuClock.now();

        long start = System.nanoTime();
        Throughput published = PublishLoop.run(events, IN_FLIGHT, BURST_TIMEOUT, i -> publisher.publishAsync(envelopes.get(i)));
        if (published.incomplete() > 0) {
            throw new IllegalStateException(published.incomplete() + " burst events were not acknowledged by NATS");
        }
        long[] reached = awaitApplied(view, ids, events, start);
        long replicaNanos = reached[PROGRESS_MARKS.length - 1];
        double ordersSeconds = (ProcessCpu.nanos(orders) - ordersCpu) / 1e9;
        double natsSeconds = (ProcessCpu.nanos(nats) - natsCpu) / 1e9;
        double ownSeconds = CpuClock.since(ownCpu).toNanos() / 1e9;
        long deliveries = delivered(jsm, ORDERS_DURABLE) - deliveredBefore;

        BusCeiling.Delivery bus = ceiling.measure(envelopes, batch);
        return new BurstRun(events, published.elapsed().toNanos() / 1e9, replicaNanos / 1e9,
                reached[0] / 1e9, reached[1] / 1e9, reached[2] / 1e9, deliveries, bus.events(), bus.liveSeconds(),
                bus.replaySeconds(),
                ordersSeconds, natsSeconds, ownSeconds);
    }

    /** Versions 1..n of each ticket, with ids {@code UUID(batch, i)}; interleaved or ticket by ticket. */
    private List<EventEnvelope> envelopes(List<String> ids, int versions, String userId, long batch) {
        int events = ids.size() * versions;
        List<EventEnvelope> envelopes = new ArrayList<>(events);
        for (int i = 0; i < events; i++) {
            // Interleaved: version 1 of every ticket, then version 2, ... Otherwise ticket by ticket.
            int ticket = options.burstInterleaved() ? i % ids.size() : i / versions;
            long next = 1 + (options.burstInterleaved() ? i / ids.size() : i % versions);
            TicketUpdated event = new TicketUpdated(ids.get(ticket), next, "Burst v" + next,
                    BigDecimal.valueOf(10 + next % 90), userId, null);
            envelopes.add(new EventEnvelope(new UUID(batch, i), event, Instant.now()));
        }
        return envelopes;
    }

    /**
     * Watches the replica until the burst is applied; returns when each of {@link #PROGRESS_MARKS} was reached,
     * in nanoseconds after {@code start}. Progress is the sum of the tickets' replica versions: starting from 0,
     * every applied event adds exactly 1.
     */
    private static long[] awaitApplied(ReplicaView view, List<String> ids, int events, long start)
            throws InterruptedException {
        long deadline = start + BURST_TIMEOUT.toNanos();
        long[] reached = new long[PROGRESS_MARKS.length];
        long applied = 0;
        int mark = 0;
        while (applied < events) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("The replica applied " + applied + " of " + events + " burst events "
                        + BURST_TIMEOUT + " after the burst began");
            }
            // Every 10 ms: a burst takes seconds, and each poll costs this JVM (which also hosts the MongoDB
            // server) a query over every burst ticket; polling faster took CPU from the system under test.
            Thread.sleep(10);
            applied = 0;
            for (long held : view.versions(ids).values()) {
                applied += held;
            }
            long now = System.nanoTime();
            while (mark < PROGRESS_MARKS.length && applied >= Math.ceil(events * PROGRESS_MARKS[mark])) {
                reached[mark++] = now - start;
            }
        }
        return reached;
    }

    private static long delivered(JetStreamManagement jsm, String durable) throws IOException, JetStreamApiException {
        return info(jsm, durable).getDelivered().getConsumerSequence();
    }

    private static ConsumerInfo info(JetStreamManagement jsm, String durable) {
        try {
            return jsm.getConsumerInfo(STREAM, durable);
        } catch (IOException | JetStreamApiException e) {
            throw new IllegalStateException("Cannot read consumer " + durable + ": " + e.getMessage(), e);
        }
    }

    private void report(String label, BurstRun run) {
        progress.printf(Locale.ROOT, "burst    %-9s %,d events: replica %,.0f ev/s (%.2f s; 50/90/99 %% at %.2f/%.2f/%.2f s;"
                        + " %.2f deliveries/event), bus no-op live %,.0f ev/s (%.3f s), replay %,.0f ev/s (%.3f s);"
                        + " published in %.2f s; CPU s orders %.1f, nats %.1f, this JVM %.1f%n", label, run.events(),
                run.replicaRate(), run.replicaSeconds(), run.seconds50(), run.seconds90(), run.seconds99(),
                run.deliveriesPerEvent(), run.busLiveRate(), run.busLiveSeconds(), run.busReplayRate(),
                run.busReplaySeconds(), run.publishSeconds(), run.ordersCpuSeconds(), run.natsCpuSeconds(),
                run.benchmarkCpuSeconds());
    }
}
