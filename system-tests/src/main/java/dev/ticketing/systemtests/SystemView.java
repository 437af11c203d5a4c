package dev.ticketing.systemtests;

import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/** What the system looks like from outside, through the edge: the reads and steps several tests share. */
public final class SystemView {

    private static final Pattern NEXT = Pattern.compile("<([^>]+)>;\\s*rel=\"next\"");

    private final EdgeClient edge;
    private final int clients;

    /** {@code clients}: how many requests at once when many tickets are read. */
    public SystemView(EdgeClient edge, int clients) {
        this.edge = edge;
        this.clients = clients;
    }

    public TicketState ticket(String id) {
        Reply reply = edge.get("/api/tickets/" + id, null);
        expect(reply, 200, "GET /api/tickets/" + id);
        return TicketState.of(reply.body());
    }

    public List<TicketState> tickets(List<String> ids) {
        return Parallel.map(ids, clients, this::ticket);
    }

    /**
     * Orders {@code ticketId} for {@code buyer}, retrying while orders-service answers 404 because its replica
     * of the ticket has not arrived yet. Returns the 201 reply.
     */
    public Reply placeOrder(User buyer, String ticketId, Duration bound) {
        AtomicReference<Reply> created = new AtomicReference<>();
        await("order for ticket " + ticketId).atMost(bound).pollInterval(Duration.ofMillis(100)).until(() -> {
            Reply reply = edge.post("/api/orders", Map.of("ticketId", ticketId), buyer);
            if (reply.status() == 201) {
                created.set(reply);
                return true;
            }
            if (reply.status() != 404) {
                throw new AssertionError("POST /api/orders for " + ticketId + " answered " + reply.status() + ": "
                        + reply.body());
            }
            return false;
        });
        return created.get();
    }

    /**
     * Pays {@code orderId} for {@code buyer} with the card {@code token}, retrying while payments-service answers
     * 404 because its replica of the order has not arrived yet. Returns the first other reply (201, or an error).
     */
    public Reply pay(User buyer, String orderId, String token, Duration bound) {
        AtomicReference<Reply> answered = new AtomicReference<>();
        await("payment of order " + orderId).atMost(bound).pollInterval(Duration.ofMillis(100)).until(() -> {
            answered.set(edge.post("/api/payments", Map.of("token", token, "orderId", orderId), buyer));
            return answered.get().status() != 404;
        });
        return answered.get();
    }

    public List<Reply> placeOrders(User buyer, List<String> ticketIds, Duration bound) {
        return Parallel.map(ticketIds, clients, id -> placeOrder(buyer, id, bound));
    }

    /** Every order of {@code buyer}, following the {@code Link: rel="next"} pages, keyed by ticket id (latest wins). */
    public Map<String, JsonNode> ordersByTicket(User buyer) {
        Map<String, JsonNode> orders = new LinkedHashMap<>();
        for (JsonNode order : allPages("/api/orders?limit=500", buyer)) {
            orders.put(order.path("ticket").path("id").asString(), order);
        }
        return orders;
    }

    /**
     * Every ticket is reserved in tickets-service by {@code buyer}'s order, at {@code price}, and orders-service
     * embeds it in that order at the same version and price: the two services agree.
     */
    public boolean agree(User buyer, List<String> ticketIds, BigDecimal price) {
        Map<String, JsonNode> orders = ordersByTicket(buyer);
        return tickets(ticketIds).stream().allMatch(ticket -> {
            JsonNode order = orders.get(ticket.id());
            if (order == null || !ticket.orderId().equals(order.path("id").asString())) {
                return false;
            }
            return ticket.price().compareTo(price) == 0
                    && TicketState.of(order.path("ticket")).samePriceAndVersion(ticket);
        });
    }

    List<JsonNode> allPages(String firstPage, User user) {
        List<JsonNode> items = new ArrayList<>();
        String page = firstPage;
        while (page != null) {
            Reply reply = edge.get(page, user);
            expect(reply, 200, "GET " + page);
            reply.body().forEach(items::add);
            page = reply.headers().firstValue("Link").map(NEXT::matcher).filter(Matcher::find)
                    .map(matcher -> matcher.group(1)).orElse(null);
        }
        return items;
    }

    static void expect(Reply reply, int status, String what) {
        if (reply.status() != status) {
            throw new AssertionError(what + ": expected " + status + " but got " + reply.status() + ": " + reply.body());
        }
    }
}
