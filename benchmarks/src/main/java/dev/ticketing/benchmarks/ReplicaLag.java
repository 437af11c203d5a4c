package dev.ticketing.benchmarks;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Issue 5, target (c): a {@code ticket.updated} is applied to the orders-service replica within 50 ms (p99)
 * of the tickets service's answer to {@code PUT /api/tickets/:id}, under light paced load through the edge.
 * The benchmark edits its own tickets in turn, registers the version it expects before sending, and watches the
 * replica's database for it. An edit waits for the previous edit of its ticket to be answered (a slow answer
 * then shows in the HTTP latency, which counts from the due time): a second edit in flight would lose the
 * optimistic-concurrency race with a 409, a fault of the benchmark's design rather than of the system.
 */
final class ReplicaLag {

    static final double TARGET_P99_MILLIS = 50;

    private ReplicaLag() {
    }

    static LagResult measure(BenchStack stack, EdgeHttp http, String cookie, List<String> tickets,
            ServiceOptions options, PrintStream progress) throws InterruptedException {
        try (ReplicaView view = new ReplicaView(stack.mongoUri())) {
            // Tickets at version 0: the replica must hold them before they are edited.
            view.await(tickets, 0, Duration.ofSeconds(60), "replica phase set-up");
            int warmup = options.lightWarmupRequests();
            int requests = options.lightRequests();
            Duration timeout = Duration.ofSeconds(30);
            progress.printf(Locale.ROOT, "replica  PUT /api/tickets/:id at %d/s over %d tickets (%d orders-service"
                    + " replica(s)): %d warm-up, then %d recorded ...%n", options.rate(), tickets.size(),
                    stack.replicas(BenchStack.ORDERS).size(), warmup, requests);
            LagRecorder recorder = new LagRecorder();
            Queue<ReplicaWatch.Expectation> recorded = new ConcurrentLinkedQueue<>();
            int failures;
            TicketEditor[] editors = tickets.stream().map(TicketEditor::new).toArray(TicketEditor[]::new);
            try (ReplicaWatch watch = new ReplicaWatch(view)) {
                Pacer.run(0, warmup, options.rate(),
                        (index, due) -> editors[index % editors.length].edit(http, cookie, watch, index), timeout);
                failures = Pacer.run(warmup, requests, options.rate(), (index, due) -> {
                    ReplicaWatch.Expectation expectation = editors[index % editors.length].edit(http, cookie, watch,
                            index);
                    recorder.http(due, expectation.answeredNanos);
                    recorded.add(expectation);
                }, timeout);
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (!recorded.stream().allMatch(ReplicaWatch.Expectation::applied) && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
                for (ReplicaWatch.Expectation expectation : recorded) {
                    if (expectation.applied()) {
                        recorder.lag(expectation.answeredNanos, expectation.appliedNanos);
                    }
                }
                LagResult result = recorder.result("ticket.updated applied to the replica after the 200",
                        options.rate(), requests, failures, TARGET_P99_MILLIS);
                progress.printf(Locale.ROOT, "replica  lag p50 %.2f ms, p99 %.2f ms, max %.2f ms; %d/%d observed,"
                        + " %d negative (%d polls)%n", result.lag().p50(), result.lag().p99(), result.lag().max(),
                        result.observed(), requests - failures, result.negatives(), watch.polls());
                return result;
            }
        }
    }

    /** One ticket's edits, one at a time, each expecting the version after the last one answered. */
    private static final class TicketEditor {

        private final String id;
        private final ReentrantLock inFlight = new ReentrantLock();
        private long version;

        TicketEditor(String id) {
            this.id = id;
        }

        ReplicaWatch.Expectation edit(EdgeHttp http, String cookie, ReplicaWatch watch, int index) {
            inFlight.lock();
            try {
                ReplicaWatch.Expectation expectation = watch.expect(id, version + 1);
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
