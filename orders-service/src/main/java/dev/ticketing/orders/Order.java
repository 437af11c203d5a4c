package dev.ticketing.orders;

import dev.ticketing.events.OrderCancelled;
import dev.ticketing.events.OrderCompleted;
import dev.ticketing.events.OrderCreated;
import dev.ticketing.events.OrderStatus;
import dev.ticketing.events.VersionedEvent;
import dev.ticketing.events.outbox.OutboxEntry;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.bson.types.ObjectId;
import org.jspecify.annotations.Nullable;
import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.PersistenceCreator;
import org.springframework.data.annotation.Version;
import org.springframework.data.mongodb.core.index.CompoundIndex;
import org.springframework.data.mongodb.core.index.Indexed;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * A user's order for one ticket. The aggregate decides: every change bumps the version by one (optimistic
 * concurrency on {@code version}) and records its event in the same document (the outbox), so the change and
 * its event are written together or not at all.
 *
 * <p>{@code activeTicketId} holds the ticket's id while the order reserves it and is absent once the order is
 * cancelled. A unique sparse index on it lets the database itself refuse a second order that would reserve
 * the same ticket: exactly one active order per ticket, however many requests race.
 *
 * <p>A user's orders are listed by {@code createdAt}, then id: ids made by different replicas in the same second
 * order by their machine and process bytes, not by time.
 */
@Document("orders")
@CompoundIndex(name = "expiry", def = "{'status': 1, 'expiresAt': 1}")
@CompoundIndex(name = Order.OWNER_BY_CREATION, def = "{'userId': 1, 'createdAt': 1, '_id': 1}")
class Order {

    /**
     * A user's orders, oldest first. A new name: an index named {@code owner} exists in older databases with other
     * keys (userId, _id), and creating one of the same name with other keys fails at start-up.
     */
    static final String OWNER_BY_CREATION = "ownerByCreation";

    /** The field with the unique sparse index that allows one active order per ticket. */
    static final String ACTIVE_TICKET_ID = "activeTicketId";

    @Id
    private final String id;
    @Version
    private @Nullable Long version;
    private final String userId;
    private OrderStatus status;
    private final Instant expiresAt;
    /**
     * When the order was placed; absent in an order stored before the field existed. Such an order is left as it
     * is: it sorts before every dated one (MongoDB puts a missing field first), in id order, which is how it was
     * listed before, and all of them are older than any dated order.
     */
    private final @Nullable Instant createdAt;
    private final String ticketId;
    @Indexed(name = ACTIVE_TICKET_ID, unique = true, sparse = true)
    private @Nullable String activeTicketId;
    private final List<OutboxEntry> outbox;

    @PersistenceCreator
    Order(String id, @Nullable Long version, String userId, OrderStatus status, Instant expiresAt,
            @Nullable Instant createdAt, String ticketId, @Nullable String activeTicketId, @Nullable List<OutboxEntry> outbox) {
        this.id = id;
        this.version = version;
        this.userId = userId;
        this.status = status;
        this.expiresAt = expiresAt;
        this.createdAt = createdAt;
        this.ticketId = ticketId;
        this.activeTicketId = activeTicketId;
        this.outbox = outbox == null ? new ArrayList<>() : new ArrayList<>(outbox);
    }

    /**
     * A user orders a ticket at {@code now}; the order holds it for {@code window}. Both instants are kept to the
     * millisecond, the database's precision, so the stored and the shown instant are the same.
     */
    static Order place(String userId, Ticket ticket, Instant now, Duration window) {
        Instant placed = now.truncatedTo(ChronoUnit.MILLIS);
        Instant expiry = now.plus(window).truncatedTo(ChronoUnit.MILLIS);
        Order order = new Order(new ObjectId().toHexString(), null, userId, OrderStatus.CREATED, expiry, placed,
                ticket.id(), ticket.id(), null);
        order.outbox.add(OutboxEntry.of(new OrderCreated(order.id, 0, OrderStatus.CREATED, userId, expiry,
                new OrderCreated.Ticket(ticket.id(), ticket.price()))));
        return order;
    }

    /** Only the user who placed an order may see or cancel it. */
    void requireOwner(String callerId) {
        if (!userId.equals(callerId)) {
            throw new NotOwner("User " + callerId + " does not own order " + id);
        }
    }

    /**
     * The owner cancels the order, releasing the ticket. Returns whether that changed anything: cancelling a
     * cancelled order is a repeat. A complete (paid) order cannot be cancelled.
     */
    boolean cancel() {
        if (status == OrderStatus.CANCELLED) {
            return false;
        }
        if (status == OrderStatus.COMPLETE) {
            throw new OrderComplete();
        }
        recordCancellation();
        return true;
    }

    /**
     * The payment window has passed. Returns whether that cancelled the order: only an order still
     * {@code created} at or after {@code expiresAt} expires; a paid, paying or cancelled one never does.
     */
    boolean expire(Instant now) {
        if (status != OrderStatus.CREATED || now.isBefore(expiresAt)) {
            return false;
        }
        recordCancellation();
        return true;
    }

    /**
     * Its payment succeeded: an order {@code created} or {@code awaiting:payment} becomes {@code complete} and keeps
     * its ticket. Returns whether that changed anything: a complete order is a repeat, and a cancelled one (expired
     * while its payment was in flight) stays cancelled; payments-service refunds it when it learns the cancellation.
     */
    boolean complete() {
        if (status == OrderStatus.COMPLETE || status == OrderStatus.CANCELLED) {
            return false;
        }
        status = OrderStatus.COMPLETE;
        outbox.add(OutboxEntry.of(new OrderCompleted(id, nextVersion(), new OrderCompleted.Ticket(ticketId))));
        return true;
    }

    private void recordCancellation() {
        status = OrderStatus.CANCELLED;
        activeTicketId = null;
        outbox.add(OutboxEntry.of(new OrderCancelled(id, nextVersion(), new OrderCancelled.Ticket(ticketId))));
    }

    private long nextVersion() {
        return Objects.requireNonNull(version, "a stored order has a version") + 1;
    }

    /**
     * This order as it is now, at its version: what a resync republishes. An order that holds its ticket is restated
     * by {@code order.created} (its current status, and {@code ticketPrice}: the order keeps no price of its own), a
     * cancelled one by {@code order.cancelled}.
     */
    VersionedEvent currentState(@Nullable BigDecimal ticketPrice) {
        if (!status.reservesTicket()) {
            return new OrderCancelled(id, version(), new OrderCancelled.Ticket(ticketId));
        }
        Objects.requireNonNull(ticketPrice, () -> "order " + id + " holds ticket " + ticketId + ", which has no price here");
        return new OrderCreated(id, version(), status, userId, expiresAt, new OrderCreated.Ticket(ticketId, ticketPrice));
    }

    String id() {
        return id;
    }

    long version() {
        return version == null ? 0 : version;
    }

    String userId() {
        return userId;
    }

    OrderStatus status() {
        return status;
    }

    Instant expiresAt() {
        return expiresAt;
    }

    /** When the order was placed, or null for an order stored before that was recorded. */
    @Nullable
    Instant createdAt() {
        return createdAt;
    }

    String ticketId() {
        return ticketId;
    }

    @Nullable
    String activeTicketId() {
        return activeTicketId;
    }

    List<OutboxEntry> outbox() {
        return List.copyOf(outbox);
    }
}
