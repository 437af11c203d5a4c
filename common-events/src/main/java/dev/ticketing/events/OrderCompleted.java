package dev.ticketing.events;

/** {@code order.completed}: a payment completed the order; it keeps its ticket and never expires. */
public record OrderCompleted(String id, long version, Ticket ticket) implements VersionedEvent {

    public record Ticket(String id) {
    }
}
