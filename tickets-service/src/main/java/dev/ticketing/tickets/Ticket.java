package dev.ticketing.tickets;

import dev.ticketing.events.TicketCreated;
import dev.ticketing.events.TicketUpdated;
import dev.ticketing.events.VersionedEvent;
import dev.ticketing.events.outbox.OutboxEntry;
import java.math.BigDecimal;
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
import org.springframework.data.mongodb.core.mapping.Document;
import org.springframework.data.mongodb.core.mapping.Field;
import org.springframework.data.mongodb.core.mapping.FieldType;

/**
 * A ticket for sale. The aggregate decides: every change bumps the version by one and records the matching
 * event in the same document (its outbox), so the change and its event are written together or not at all.
 * Optimistic concurrency on {@code version} makes a change based on a stale copy fail instead of
 * overwriting.
 */
@Document("tickets")
// Serves the list: orderId null (equality), then the sort. Not sparse, or it would leave out the very documents
// without an orderId that the list asks for.
@CompoundIndex(name = "available_in_listing_order", def = "{ 'orderId': 1, 'createdAt': 1, '_id': 1 }")
class Ticket {

    /** What an order's event did to the ticket. */
    enum Change {
        /** The ticket changed: save it (its event is in its outbox). */
        MADE,
        /** Nothing to change: a repeat, or nothing to release. */
        NONE,
        /** The event came before the one it follows: nothing can change until that one is applied. */
        EARLY
    }

    /** How many released orders a ticket remembers, to recognise their late or repeated events. */
    static final int RELEASED_ORDERS_KEPT = 20;

    @Id
    private final String id;
    @Version
    private @Nullable Long version;
    private String title;
    @Field(targetType = FieldType.DECIMAL128)
    private BigDecimal price;
    private final String userId;
    private @Nullable String orderId;
    private final List<String> releasedOrderIds;
    private final List<OutboxEntry> outbox;
    /**
     * When the ticket was listed: the listing order. Not the id's timestamp, which has only seconds and, within a
     * second, orders ids by the minting process rather than by time. Null for a ticket stored before this field
     * existed; those are left as they are and listed first (see {@link Tickets}).
     */
    private final @Nullable Instant createdAt;

    @PersistenceCreator
    Ticket(String id, @Nullable Long version, String title, BigDecimal price, String userId, @Nullable String orderId,
            @Nullable List<String> releasedOrderIds, @Nullable List<OutboxEntry> outbox, @Nullable Instant createdAt) {
        this.id = id;
        this.version = version;
        this.title = title;
        this.price = price;
        this.userId = userId;
        this.orderId = orderId;
        this.releasedOrderIds = releasedOrderIds == null ? new ArrayList<>() : new ArrayList<>(releasedOrderIds);
        this.outbox = outbox == null ? new ArrayList<>() : new ArrayList<>(outbox);
        this.createdAt = createdAt;
    }

    static Ticket list(String title, BigDecimal price, String sellerId) {
        Ticket ticket = new Ticket(new ObjectId().toHexString(), null, title.strip(), Prices.normalized(price),
                sellerId, null, null, null, Instant.now().truncatedTo(ChronoUnit.MILLIS)); // BSON dates keep millis
        ticket.outbox.add(OutboxEntry.of(new TicketCreated(ticket.id, 0, ticket.title, ticket.price, sellerId)));
        return ticket;
    }

    /** The seller changes title and price. A reserved ticket cannot change; only its seller may change it. */
    void edit(String newTitle, BigDecimal newPrice, String editorId) {
        if (orderId != null) {
            throw new TicketReserved();
        }
        if (!userId.equals(editorId)) {
            throw new NotOwner("User " + editorId + " does not own ticket " + id);
        }
        title = newTitle.strip();
        price = Prices.normalized(newPrice);
        recordUpdate();
    }

    /**
     * An order was created for this ticket. The same order again, or an order that was already released, is a
     * repeat and changes nothing. While another order still holds the ticket its cancellation has not arrived
     * yet, so this event is early.
     */
    Change reserveFor(String newOrderId) {
        if (newOrderId.equals(orderId) || releasedOrderIds.contains(newOrderId)) {
            return Change.NONE;
        }
        if (orderId != null) {
            return Change.EARLY;
        }
        orderId = newOrderId;
        recordUpdate();
        return Change.MADE;
    }

    /**
     * An order for this ticket was cancelled. A repeat of a release changes nothing. An order that never held
     * the ticket had its creation not applied yet: early.
     */
    Change releaseFrom(String cancelledOrderId) {
        if (releasedOrderIds.contains(cancelledOrderId)) {
            return Change.NONE;
        }
        if (!cancelledOrderId.equals(orderId)) {
            return Change.EARLY;
        }
        orderId = null;
        releasedOrderIds.add(cancelledOrderId);
        if (releasedOrderIds.size() > RELEASED_ORDERS_KEPT) {
            releasedOrderIds.removeFirst();
        }
        recordUpdate();
        return Change.MADE;
    }

    /**
     * A resync says the order is cancelled now (it restates a cancellation that may have been lost with the stream).
     * It releases the ticket when the order holds it. When the order does not, there is nothing to release and
     * nothing to wait for, unlike {@link #releaseFrom}: the order's reservation was never applied here (lost with
     * the stream too) or was released long ago, beyond what the ticket remembers.
     */
    Change releaseIfHeldBy(String cancelledOrderId) {
        return cancelledOrderId.equals(orderId) ? releaseFrom(cancelledOrderId) : Change.NONE;
    }

    /**
     * This ticket as it is now, at its version, as the event a replica knows it by: what a resync republishes. A
     * ticket never changed since it was listed is restated by {@code ticket.created}, which a replica that lost
     * it inserts and any other ignores, as it always has; every later version by {@code ticket.updated}.
     */
    VersionedEvent currentState() {
        long current = version();
        return current == 0 ? new TicketCreated(id, 0, title, price, userId)
                : new TicketUpdated(id, current, title, price, userId, orderId);
    }

    private void recordUpdate() {
        long nextVersion = Objects.requireNonNull(version, "a stored ticket has a version") + 1;
        outbox.add(OutboxEntry.of(new TicketUpdated(id, nextVersion, title, price, userId, orderId)));
    }

    String id() {
        return id;
    }

    long version() {
        return version == null ? 0 : version;
    }

    String title() {
        return title;
    }

    BigDecimal price() {
        return price;
    }

    String userId() {
        return userId;
    }

    @Nullable
    String orderId() {
        return orderId;
    }

    @Nullable
    Instant createdAt() {
        return createdAt;
    }

    List<OutboxEntry> outbox() {
        return List.copyOf(outbox);
    }
}
