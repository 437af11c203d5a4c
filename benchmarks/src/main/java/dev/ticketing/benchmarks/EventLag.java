package dev.ticketing.benchmarks;

import dev.ticketing.events.TicketCreated;
import dev.ticketing.events.bus.NatsEventBus;
import dev.ticketing.events.bus.Verdict;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Issue 4, target (a): a ticket's {@code ticket.created} is on the bus within 20 ms (p99) of the HTTP answer
 * to its {@code POST /api/tickets}, under light paced load through the edge. An observer in this process,
 * subscribed as a service of its own, notes when each event reaches it; the lag is that instant minus the
 * instant the 201 had arrived. The outbox relays right after the write, so the event may arrive first:
 * such negatives count as 0 and are reported.
 */
final class EventLag {

    static final double TARGET_P99_MILLIS = 20;

    /** The figures and the recorded tickets (all at version 0), which the replica phase edits. */
    record Outcome(LagResult result, List<String> ticketIds) {
    }

    private EventLag() {
    }

    static Outcome measure(BenchStack stack, EdgeHttp http, String cookie, ServiceOptions options, PrintStream progress)
            throws InterruptedException {
        Map<String, Long> arrivals = new ConcurrentHashMap<>();
        try (NatsEventBus observer = BusClients.start(stack.natsUrl(), "bench-observer")) {
            observer.subscribe(TicketCreated.class, (event, metadata) -> {
                arrivals.putIfAbsent(event.id(), System.nanoTime());
                return Verdict.APPLIED;
            });
            BusClients.awaitReady(observer);

            int warmup = options.lightWarmupRequests();
            int requests = options.lightRequests();
            Duration timeout = Duration.ofSeconds(30);
            progress.printf(Locale.ROOT, "events   POST /api/tickets at %d/s: %d warm-up, then %d recorded ...%n",
                    options.rate(), warmup, requests);
            Pacer.run(0, warmup, options.rate(), (index, due) -> http.createTicket(cookie, "Warm-up " + index, "10"),
                    timeout);

            Map<String, Long> answers = new ConcurrentHashMap<>();
            List<String> ids = Collections.synchronizedList(new ArrayList<>());
            LagRecorder recorder = new LagRecorder();
            int failures = Pacer.run(0, requests, options.rate(), (index, due) -> {
                EdgeHttp.Answer answer = http.createTicket(cookie, "Concert " + index, "20.5");
                if (answer.status() != 201) {
                    throw new IllegalStateException("POST /api/tickets answered " + answer.status());
                }
                recorder.http(due, answer.receivedNanos());
                String id = answer.ticket().id();
                answers.put(id, answer.receivedNanos());
                ids.add(id);
            }, timeout);

            awaitAll(arrivals, answers.keySet(), Duration.ofSeconds(30));
            answers.forEach((id, answered) -> {
                Long arrived = arrivals.get(id);
                if (arrived != null) {
                    recorder.lag(answered, arrived);
                }
            });
            LagResult result = recorder.result("ticket.created on the bus after the 201", options.rate(), requests,
                    failures, TARGET_P99_MILLIS);
            progress.printf(Locale.ROOT, "events   lag p50 %.2f ms, p99 %.2f ms, max %.2f ms; %d/%d observed, %d negative%n",
                    result.lag().p50(), result.lag().p99(), result.lag().max(), result.observed(),
                    requests - failures, result.negatives());
            return new Outcome(result, List.copyOf(ids));
        }
    }

    /** Waits until every answered ticket's event has arrived, or the timeout passes (the result then shows it). */
    private static void awaitAll(Map<String, Long> arrivals, Set<String> expected, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!arrivals.keySet().containsAll(expected) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }
}
