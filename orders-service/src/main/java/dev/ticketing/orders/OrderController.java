package dev.ticketing.orders;

import dev.ticketing.web.security.CurrentUser;
import jakarta.validation.Valid;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.bson.types.ObjectId;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.data.domain.Limit;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * {@code /api/orders}: place, list, show and cancel the caller's orders. Every route needs a session.
 * Events go out through each order's outbox.
 */
@RestController
@RequestMapping("/api/orders")
class OrderController {

    static final int DEFAULT_PAGE = 100;
    static final int MAX_PAGE = 500;
    /** A cancellation that loses a race (with expiry, or another cancel) reloads and decides again. */
    private static final int CANCEL_ATTEMPTS = 3;

    private final Orders orders;
    private final Tickets tickets;
    private final OrdersSettings settings;
    private final Clock clock;

    OrderController(Orders orders, Tickets tickets, OrdersSettings settings, Clock clock) {
        this.orders = orders;
        this.tickets = tickets;
        this.settings = settings;
        this.clock = clock;
    }

    /**
     * Checks in the contract's order: signed in, valid body, ticket known, ticket free. "Free" is decided by
     * the database: the unique index on {@code activeTicketId} refuses a second active order for a ticket.
     */
    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    OrderView place(@Valid @RequestBody NewOrder form, CurrentUser buyer) {
        Ticket ticket = tickets.findById(form.ticketId())
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No ticket " + form.ticketId()));
        Order order = Order.place(buyer.id(), ticket, clock.instant(), settings.expiration());
        try {
            return OrderView.of(orders.save(order), ticket);
        } catch (DuplicateKeyException reserved) {
            throw new TicketAlreadyReserved();
        }
    }

    /**
     * The caller's orders, oldest first (by when they were placed, whichever replica placed them), {@code limit} at a
     * time (default 100, at most 500). When a page is full, the {@code Link} header names the next one
     * ({@code ?after=<last id>}); the cursor is looked up, so it must be one of the caller's orders.
     */
    @GetMapping
    ResponseEntity<List<OrderView>> mine(CurrentUser user, @RequestParam(required = false) @Nullable String after,
            @RequestParam(defaultValue = "" + DEFAULT_PAGE) int limit) {
        if (limit < 1 || limit > MAX_PAGE) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "limit must be between 1 and " + MAX_PAGE);
        }
        List<Order> page = orders.findPageOfUser(user.id(), after == null ? null : cursor(after, user), Limit.of(limit));
        Map<String, Ticket> ticketsById = tickets.findAllById(page.stream().map(Order::ticketId).distinct().toList())
                .stream().collect(Collectors.toMap(Ticket::id, Function.identity()));
        List<OrderView> views = page.stream().map(order -> OrderView.of(order, ticketsById.get(order.ticketId()))).toList();
        ResponseEntity.BodyBuilder response = ResponseEntity.ok();
        if (views.size() == limit) {
            String next = UriComponentsBuilder.fromPath("/api/orders")
                    .queryParam("after", views.getLast().id()).queryParam("limit", limit).build().toUriString();
            response.header(HttpHeaders.LINK, "<" + next + ">; rel=\"next\"");
        }
        return response.body(views);
    }

    @GetMapping("/{id}")
    OrderView show(@PathVariable String id, CurrentUser user) {
        Order order = find(id);
        order.requireOwner(user.id());
        return OrderView.of(order, tickets.findById(order.ticketId()).orElse(null));
    }

    /** Cancels the order (204); cancelling a cancelled order changes nothing and emits nothing. */
    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void cancel(@PathVariable String id, CurrentUser user) {
        for (int attempt = 1; ; attempt++) {
            Order order = find(id);
            order.requireOwner(user.id());
            if (!order.cancel()) {
                return;
            }
            try {
                orders.save(order);
                return;
            } catch (OptimisticLockingFailureException changedMeanwhile) {
                if (attempt == CANCEL_ATTEMPTS) {
                    throw changedMeanwhile;
                }
            }
        }
    }

    /** The order a page starts after; another user's order is as unknown as one that does not exist. */
    private Order cursor(String after, CurrentUser user) {
        Optional<Order> order = ObjectId.isValid(after) ? orders.findById(after) : Optional.empty();
        return order.filter(mine -> mine.userId().equals(user.id()))
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.BAD_REQUEST,
                        "after must be the id of one of your orders"));
    }

    private Order find(String id) {
        if (!ObjectId.isValid(id)) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "Malformed order id " + id);
        }
        return orders.findById(id).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No order " + id));
    }
}
