package dev.ticketing.events;

/** {@code order.cancelled}: an order was cancelled by its owner or by expiry, releasing its ticket. */
public record OrderCancelled(String id, long version, Ticket ticket) implements VersionedEvent {

    public record Ticket(String id) {
    }
}
