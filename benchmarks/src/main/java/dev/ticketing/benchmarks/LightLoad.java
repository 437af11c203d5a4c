package dev.ticketing.benchmarks;

import dev.ticketing.benchmarks.Figures.Percentiles;
import dev.ticketing.events.TicketCreated;
import dev.ticketing.events.bus.NatsEventBus;
import dev.ticketing.events.bus.Verdict;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.UnaryOperator;
import org.HdrHistogram.Histogram;

/** Targets (a) and (c): how long after the HTTP answer its effect is seen; an earlier effect counts as 0. */
final class LightLoad {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** One phase: {@code observed} should be requests - failures; {@code http} is latency from the due time. */
    record Lag(String name, int rate, int requests, int failures, int observed, int negatives, Percentiles lag,
            Percentiles http, double targetP99Millis) {

        boolean meetsTarget() {
            return observed == requests - failures && lag.p99() <= targetP99Millis;
        }
    }

    private final BenchStack stack;
    private final EdgeHttp http;
    private final ServiceBenchmark options;
    private final PrintStream progress;
    private final int requests;
    private final int warmup;
    private final List<String> created = Collections.synchronizedList(new ArrayList<>());

    LightLoad(BenchStack stack, EdgeHttp http, ServiceBenchmark options, PrintStream progress) {
        this.stack = stack;
        this.http = http;
        this.options = options;
        this.progress = progress;
        this.requests = (int) Math.max(1, options.rate * options.lightSeconds);
        this.warmup = (int) (options.rate * options.lightWarmupSeconds);
    }

    /** (a): an observer here, a service of its own, notes when each new ticket's {@code ticket.created} arrives. */
    Lag events() throws InterruptedException {
        Map<String, Long> arrivals = new ConcurrentHashMap<>();
        Map<String, long[]> answers = new ConcurrentHashMap<>(); // id: due and answered instants
        try (NatsEventBus observer = LibraryBus.start(stack.natsUrl(), "bench-observer", UnaryOperator.identity())) {
            observer.subscribe(TicketCreated.class, (event, metadata) -> {
                arrivals.putIfAbsent(event.id(), System.nanoTime());
                return Verdict.APPLIED;
            });
            LibraryBus.ready(observer);
            progress.println("events   POST /api/tickets, paced: warm-up, then recorded ...");
            Load.paced(0, warmup, options.rate,
                    (index, due) -> http.createTicket("Warm-up " + index, "10"), TIMEOUT);
            Load.paced(0, requests, options.rate, (index, due) -> {
                EdgeHttp.Answer answer = http.createTicket("Concert " + index, "20.5");
                answers.put(answer.id(), new long[] {due, answer.receivedNanos()});
                created.add(answer.id());
            }, TIMEOUT);
            Load.await(TIMEOUT, 10, () -> arrivals.keySet().containsAll(answers.keySet()));
        }
        return result("ticket.created on the bus after the 201", answers.entrySet().stream().map(answer -> new long[] {
                answer.getValue()[0], answer.getValue()[1], arrivals.getOrDefault(answer.getKey(), 0L)}).toList(), 20);
    }

    /** (c): edits (a)'s tickets (or new ones) in turn and watches the replica's database for each version. */
    Lag replica() throws Exception {
        List<String> ids = new ArrayList<>(created.subList(0, Math.min(options.replicaTickets, created.size())));
        while (ids.size() < options.replicaTickets) {
            ids.add(http.createTicket("Edited later " + ids.size(), "30").id());
        }
        try (ReplicaView view = new ReplicaView(stack.mongoUri())) {
            // Tickets at version 0: the replica must hold them before they are edited.
            view.await(ids, 0, Duration.ofSeconds(60), "replica phase set-up");
            progress.println("replica  PUT /api/tickets/:id, paced, over " + ids.size() + " tickets ...");
            Queue<ReplicaView.Expectation> recorded = new ConcurrentLinkedQueue<>();
            Editor[] editors = ids.stream().map(Editor::new).toArray(Editor[]::new);
            Load.paced(0, warmup, options.rate, (index, due) -> editors[index % editors.length].edit(view, index, due),
                    TIMEOUT);
            Load.paced(warmup, requests, options.rate,
                    (index, due) -> recorded.add(editors[index % editors.length].edit(view, index, due)), TIMEOUT);
            Load.await(TIMEOUT, 10, () -> recorded.stream().allMatch(ReplicaView.Expectation::applied));
            return result("ticket.updated applied to the replica after the 200", recorded.stream()
                    .map(edit -> new long[] {edit.dueNanos, edit.answeredNanos, edit.appliedNanos}).toList(), 50);
        }
    }

    /** {@code samples}: for each answered request, the instants it was due, answered, and its effect seen (or 0). */
    private Lag result(String name, List<long[]> samples, double targetP99Millis) {
        Histogram lag = new Histogram(3); // microseconds
        Histogram latency = new Histogram(3);
        int negatives = 0;
        int observed = 0;
        for (long[] sample : samples) {
            latency.recordValue(Math.max(0, (sample[1] - sample[0]) / 1000));
            long micros = (sample[2] - sample[1]) / 1000;
            if (sample[2] != 0) {
                negatives += micros < 0 ? 1 : 0;
                observed++;
                lag.recordValue(Math.max(0, micros));
            }
        }
        return new Lag(name, options.rate, requests, requests - samples.size(),
                observed, negatives, Percentiles.of(lag), Percentiles.of(latency), targetP99Millis);
    }

    /** One ticket's edits, one at a time: a second in flight would lose the optimistic-concurrency race (409). */
    private final class Editor {

        private final String id;
        private final ReentrantLock inFlight = new ReentrantLock();
        private long version;

        Editor(String id) {
            this.id = id;
        }

        ReplicaView.Expectation edit(ReplicaView view, int index, long due) throws Exception {
            inFlight.lock();
            try {
                ReplicaView.Expectation expectation = view.expect(id, version + 1, due);
                EdgeHttp.Answer answer = http.editTicket(id, "Edited " + index, (index % 90 + 10) + ".5");
                if (answer.status() != 200) {
                    view.forget(expectation);
                    throw new IllegalStateException("PUT /api/tickets/" + id + " answered " + answer.status() + ": "
                            + answer.body() + (answer.status() == 409 ? " (nothing else may edit these tickets)" : ""));
                }
                version = answer.json().path("version").asLong();
                expectation.version = version;
                expectation.answeredNanos = answer.receivedNanos();
                return expectation;
            } finally {
                inFlight.unlock();
            }
        }
    }
}
