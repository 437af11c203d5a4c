package dev.ticketing.events;

import java.math.BigDecimal;
import java.time.Instant;

/** {@code order.created}: a user reserved a ticket; the order expires at {@code expiresAt} unless paid. */
public record OrderCreated(String id, long version, OrderStatus status, String userId, Instant expiresAt,
        Ticket ticket) implements VersionedEvent {

    public record Ticket(String id, BigDecimal price) {
    }
}
