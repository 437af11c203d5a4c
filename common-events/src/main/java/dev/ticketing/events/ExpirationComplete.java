package dev.ticketing.events;

/** {@code expiration.complete}: an order's payment window has passed (optional; for a bus-based timer). */
public record ExpirationComplete(String orderId) implements TicketingEvent {

    @Override
    public String recordId() {
        return orderId;
    }
}
