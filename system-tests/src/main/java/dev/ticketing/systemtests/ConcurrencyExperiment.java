package dev.ticketing.systemtests;

import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

/**
 * The course's concurrency experiment, through the edge: {@code tickets} tickets, each created at price 5,
 * updated to 10 and at once to 15 (no waiting for events in between), by {@code clients} concurrent clients.
 * With several orders-service replicas consuming with parallel handlers, the ticket.updated events of one
 * ticket can arrive out of order or at different replicas; versioning must still leave every replica at
 * price 15. Then a buyer orders every ticket, and both services must agree on each ticket's version.
 *
 * <p>Timings are taken from the moment the last write was answered. Only HTTP is used, so each is an upper
 * bound that includes the reading itself (200 reads or orders by {@code clients} clients):
 * <ul>
 *   <li>{@code ticketsConverged}: every ticket reads price 15, version 2 in tickets-service;</li>
 *   <li>{@code firstOrder}: when the first order was placed; tickets are ordered most recently written first,
 *       so if no order saw a stale replica ({@code staleWhenOrdered} = 0: every order embedded the ticket at
 *       price 15, version 2) the replicas had converged by then;</li>
 *   <li>{@code allOrdered}: every order placed (201);</li>
 *   <li>{@code bothAgree}: after the reservations, each ticket has the same version and price 15 in
 *       tickets-service and embedded in its order in orders-service.</li>
 * </ul>
 */
public final class ConcurrencyExperiment {

    private static final BigDecimal FIRST = BigDecimal.valueOf(5);
    private static final BigDecimal SECOND = BigDecimal.valueOf(10);
    private static final BigDecimal FINAL = BigDecimal.valueOf(15);

    public record Result(int tickets, int clients, Duration writing, Duration ticketsConverged, Duration firstOrder,
            Duration allOrdered, long staleWhenOrdered, Duration bothAgree) {

        public String summary() {
            return String.format("%d tickets x 3 writes by %d clients in %d ms. After the last write: tickets-service "
                            + "read converged after %d ms; first order placed after %d ms, all %d after %d ms, %d of them "
                            + "saw a stale replica; both services agreed on every ticket's version after %d ms",
                    tickets, clients, writing.toMillis(), ticketsConverged.toMillis(), firstOrder.toMillis(), tickets,
                    allOrdered.toMillis(), staleWhenOrdered, bothAgree.toMillis());
        }
    }

    /** A ticket written by the experiment, and when its last write was answered. */
    private record Written(String id, long answeredAt) {
    }

    private final EdgeClient edge;
    private final SystemView view;
    private final User seller;
    private final User buyer;
    private final int tickets;
    private final int clients;
    private final Duration bound;
    private final AtomicInteger ticketsWritten = new AtomicInteger();

    public ConcurrencyExperiment(EdgeClient edge, User seller, User buyer, int tickets, int clients, Duration bound) {
        this.edge = edge;
        this.view = new SystemView(edge, clients);
        this.seller = seller;
        this.buyer = buyer;
        this.tickets = tickets;
        this.clients = clients;
        this.bound = bound;
    }

    /** How many tickets have had all three writes answered so far, for a test that breaks something mid-run. */
    public int ticketsWritten() {
        return ticketsWritten.get();
    }

    public Result run() {
        long start = System.nanoTime();
        List<Written> written = Parallel.map(IntStream.range(0, tickets).boxed().toList(), clients,
                this::createAndReprice);
        long lastWrite = System.nanoTime();
        List<String> ids = written.stream().map(Written::id).toList();

        await("every ticket at price 15 in tickets-service").atMost(bound).pollInterval(Duration.ofMillis(100))
                .until(() -> view.tickets(ids).stream().allMatch(ticket -> ticket.isAt(2, FINAL)));
        long ticketsConverged = System.nanoTime();

        // Most recently written first: those are the ones a replica would still be behind on.
        List<String> newestFirst = written.stream()
                .sorted(Comparator.comparingLong(Written::answeredAt).reversed())
                .map(Written::id)
                .toList();
        AtomicLong firstOrder = new AtomicLong();
        List<Reply> orders = Parallel.map(newestFirst, clients, id -> {
            Reply order = view.placeOrder(buyer, id, bound);
            firstOrder.compareAndSet(0, System.nanoTime());
            return order;
        });
        long allOrdered = System.nanoTime();
        long stale = orders.stream()
                .map(order -> TicketState.of(order.body().path("ticket")))
                .filter(ticket -> !ticket.isAt(2, FINAL))
                .count();

        await("both services agree on every ticket").atMost(bound).pollInterval(Duration.ofMillis(200))
                .until(() -> view.agree(buyer, ids, FINAL));
        long agreed = System.nanoTime();

        return new Result(tickets, clients, Duration.ofNanos(lastWrite - start),
                Duration.ofNanos(ticketsConverged - lastWrite), Duration.ofNanos(firstOrder.get() - lastWrite),
                Duration.ofNanos(allOrdered - lastWrite), stale, Duration.ofNanos(agreed - lastWrite));
    }

    private Written createAndReprice(int index) {
        String title = "Experiment " + index;
        Reply created = edge.post("/api/tickets", Map.of("title", title, "price", FIRST), seller);
        SystemView.expect(created, 201, "POST /api/tickets");
        String id = created.id();
        // No waiting between the writes: the events go out in quick succession, as in the course.
        SystemView.expect(edge.put("/api/tickets/" + id, Map.of("title", title, "price", SECOND), seller), 200, "PUT");
        SystemView.expect(edge.put("/api/tickets/" + id, Map.of("title", title, "price", FINAL), seller), 200, "PUT");
        ticketsWritten.incrementAndGet();
        return new Written(id, System.nanoTime());
    }
}
