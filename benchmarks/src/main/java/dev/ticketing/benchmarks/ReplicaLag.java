package dev.ticketing.benchmarks;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Issue 5, target (c): a {@code ticket.updated} is applied to the orders-service replica within 50 ms (p99)
 * of the tickets service's answer to {@code PUT /api/tickets/:id}, under light paced load through the edge.
 * The benchmark edits its own tickets in turn (so each has at most one edit in flight and its next version is
 * known), registers the version it expects before sending, and watches the replica's database for it.
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
            try (ReplicaWatch watch = new ReplicaWatch(view)) {
                Pacer.run(0, warmup, options.rate(), (index, due) -> edit(http, cookie, tickets, watch, index),
                        timeout);
                failures = Pacer.run(warmup, requests, options.rate(), (index, due) -> {
                    ReplicaWatch.Expectation expectation = edit(http, cookie, tickets, watch, index);
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

    /**
     * Edit number {@code index} goes to ticket {@code index % n} and makes its version {@code index / n + 1}:
     * every edit before it on that ticket was sent at least {@code n / rate} seconds earlier.
     */
    private static ReplicaWatch.Expectation edit(EdgeHttp http, String cookie, List<String> tickets,
            ReplicaWatch watch, int index) {
        String id = tickets.get(index % tickets.size());
        long version = index / tickets.size() + 1;
        ReplicaWatch.Expectation expectation = watch.expect(id, version);
        EdgeHttp.Answer answer = http.editTicket(cookie, id, "Edited " + index, (index % 90 + 10) + ".5");
        if (answer.status() != 200) {
            watch.forget(expectation);
            throw new IllegalStateException("PUT /api/tickets/" + id + " answered " + answer.status() + ": "
                    + answer.body());
        }
        long actual = answer.ticket().version();
        if (actual != version) {
            // Only if an earlier edit of this ticket failed: wait for the version the service really wrote.
            expectation.version = actual;
        }
        expectation.answeredNanos = answer.receivedNanos();
        return expectation;
    }
}
