package dev.ticketing.benchmarks;

import dev.ticketing.benchmarks.Figures.Percentiles;

import dev.ticketing.events.TicketCreated;
import dev.ticketing.events.bus.NatsEventBus;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;
import org.HdrHistogram.Histogram;

/**
 * Targets (a) of issue 4 and (c) of issue 5: how long after the HTTP answer its effect is seen elsewhere, under light
 * paced load through the edge. An effect seen before the answer had arrived counts as 0 and is reported as negative.
 */
final class LightLoad {

    static final double EVENTS_TARGET_P99_MILLIS = 20;
    static final double REPLICA_TARGET_P99_MILLIS = 50;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    /**
     * One light-load phase.
     *
     * @param requests recorded requests sent
     * @param failures of those, requests that did not get the expected answer (left out of the figures)
     * @param observed effects seen (should be requests - failures)
     * @param lag effect time minus answer time
     * @param http the request's own latency, from its due time (so coordinated omission is corrected)
     */
    record Lag(String name, int rate, int requests, int failures, int observed, int negatives, Percentiles lag,
            Percentiles http, double targetP99Millis) {

        boolean meetsTarget() {
            return observed == requests - failures && lag.p99() <= targetP99Millis;
        }
    }

    private final BenchStack stack;
    private final EdgeHttp http;
    private final String cookie;
    private final int rate;
    private final int warmup;
    private final int requests;
    private final PrintStream progress;
    private final List<String> created = Collections.synchronizedList(new ArrayList<>());
    // Microseconds, recorded from many sending threads.
    private final Histogram lag = new Histogram(3);
    private final Histogram httpLatency = new Histogram(3);
    private int negatives;
    private int observed;

    LightLoad(BenchStack stack, EdgeHttp http, String cookie, int rate, int warmup, int requests, PrintStream progress) {
        this.stack = stack;
        this.http = http;
        this.cookie = cookie;
        this.rate = rate;
        this.warmup = warmup;
        this.requests = requests;
        this.progress = progress;
    }

    String cookie() {
        return cookie;
    }

    /** The tickets (a) made and recorded, all at version 0. */
    List<String> createdTickets() {
        return List.copyOf(created);
    }

    /**
     * (a): an observer in this process, subscribed as a service of its own, notes when each new ticket's
     * {@code ticket.created} reaches it; the lag is that instant minus the instant the 201 had arrived.
     */
    Lag events() throws InterruptedException {
        Map<String, Long> arrivals = new ConcurrentHashMap<>();
        try (NatsEventBus observer = BusClients.start(stack.natsUrl(), "bench-observer")) {
            observer.subscribe(TicketCreated.class, (event, metadata) -> arrivals.putIfAbsent(event.id(), System.nanoTime()));
            BusClients.awaitReady(observer);
            progress.printf(Locale.ROOT, "events   POST /api/tickets at %d/s: %d warm-up, then %d recorded ...%n",
                    rate, warmup, requests);
            Load.paced(0, warmup, rate, (index, due) -> http.createTicket(cookie, "Warm-up " + index, "10"), TIMEOUT);
            Map<String, Long> answers = new ConcurrentHashMap<>();
            int failures = Load.paced(0, requests, rate, (index, due) -> {
                EdgeHttp.Answer answer = http.createTicket(cookie, "Concert " + index, "20.5");
                if (answer.status() != 201) {
                    throw new IllegalStateException("POST /api/tickets answered " + answer.status());
                }
                http(due, answer.receivedNanos());
                answers.put(answer.ticket().id(), answer.receivedNanos());
                created.add(answer.ticket().id());
            }, TIMEOUT);
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (!arrivals.keySet().containsAll(answers.keySet()) && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            answers.forEach((id, answered) -> {
                Long arrived = arrivals.get(id);
                if (arrived != null) {
                    lag(answered, arrived);
                }
            });
            return result("ticket.created on the bus after the 201", failures, EVENTS_TARGET_P99_MILLIS, "events   ", "");
        }
    }

    /**
     * (c): edits the given tickets (and new ones if they are too few) in turn, registers the version it expects
     * before sending, and watches the replica's database for it. An edit waits for the previous edit of its ticket to
     * be answered: a second edit in flight would lose the optimistic-concurrency race with a 409.
     */
    Lag replica(List<String> made, int tickets) throws InterruptedException {
        List<String> ids = new ArrayList<>(made.subList(0, Math.min(tickets, made.size())));
        while (ids.size() < tickets) {
            ids.add(http.newTicket(cookie, "Edited later " + ids.size(), "30").ticket().id());
        }
        reset();
        try (ReplicaView view = new ReplicaView(stack.mongoUri())) {
            // Tickets at version 0: the replica must hold them before they are edited.
            view.await(ids, 0, Duration.ofSeconds(60), "replica phase set-up");
            progress.printf(Locale.ROOT, "replica  PUT /api/tickets/:id at %d/s over %d tickets (%d orders-service"
                    + " replica(s)): %d warm-up, then %d recorded ...%n", rate, ids.size(),
                    stack.replicas(ServiceBenchmark.ORDERS), warmup, requests);
            Queue<ReplicaView.Expectation> recorded = new ConcurrentLinkedQueue<>();
            TicketEditor[] editors = ids.stream().map(TicketEditor::new).toArray(TicketEditor[]::new);
            try (ReplicaView.Watch watch = view.watch()) {
                Load.paced(0, warmup, rate, (index, due) -> editors[index % editors.length].edit(watch, index), TIMEOUT);
                int failures = Load.paced(warmup, requests, rate, (index, due) -> {
                    ReplicaView.Expectation expectation = editors[index % editors.length].edit(watch, index);
                    http(due, expectation.answeredNanos);
                    recorded.add(expectation);
                }, TIMEOUT);
                long deadline = System.nanoTime() + TIMEOUT.toNanos();
                while (!recorded.stream().allMatch(ReplicaView.Expectation::applied) && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
                recorded.stream().filter(ReplicaView.Expectation::applied)
                        .forEach(expectation -> lag(expectation.answeredNanos, expectation.appliedNanos));
                return result("ticket.updated applied to the replica after the 200", failures,
                        REPLICA_TARGET_P99_MILLIS, "replica  ", " (" + watch.polls() + " polls)");
            }
        }
    }

    private synchronized void http(long dueNanos, long answeredNanos) {
        httpLatency.recordValue(Math.max(0, (answeredNanos - dueNanos) / 1000));
    }

    /** An effect seen at {@code effectNanos} for an answer received at {@code answeredNanos}. */
    private synchronized void lag(long answeredNanos, long effectNanos) {
        long micros = (effectNanos - answeredNanos) / 1000;
        if (micros < 0) {
            negatives++;
        }
        lag.recordValue(Math.max(0, micros));
        observed++;
    }

    private synchronized void reset() {
        lag.reset();
        httpLatency.reset();
        negatives = 0;
        observed = 0;
    }

    private synchronized Lag result(String name, int failures, double target, String label, String note) {
        Lag result = new Lag(name, rate, requests, failures, observed, negatives, Percentiles.of(lag),
                Percentiles.of(httpLatency), target);
        progress.printf(Locale.ROOT, "%slag p50 %.2f ms, p99 %.2f ms, max %.2f ms; %d/%d observed, %d negative%s%n",
                label, result.lag().p50(), result.lag().p99(), result.lag().max(), observed, requests - failures,
                negatives, note);
        return result;
    }

    /** One ticket's edits, one at a time, each expecting the version after the last one answered. */
    private final class TicketEditor {

        private final String id;
        private final ReentrantLock inFlight = new ReentrantLock();
        private long version;

        TicketEditor(String id) {
            this.id = id;
        }

        ReplicaView.Expectation edit(ReplicaView.Watch watch, int index) {
            inFlight.lock();
            try {
                ReplicaView.Expectation expectation = watch.expect(id, version + 1);
                EdgeHttp.Answer answer = http.editTicket(cookie, id, "Edited " + index, (index % 90 + 10) + ".5");
                if (answer.status() != 200) {
                    watch.forget(expectation);
                    throw new IllegalStateException("PUT /api/tickets/" + id + " answered " + answer.status() + ": "
                            + answer.body() + (answer.status() == 409 ? " (a benchmark error: no other writer may"
                            + " edit the benchmark's tickets)" : ""));
                }
                version = answer.ticket().version();
                expectation.version = version;
                expectation.answeredNanos = answer.receivedNanos();
                return expectation;
            } finally {
                inFlight.unlock();
            }
        }
    }
}
