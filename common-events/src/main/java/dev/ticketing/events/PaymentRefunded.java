package dev.ticketing.events;

/** {@code payment.refunded}: the order was cancelled before its payment landed, so the charge was refunded. */
public record PaymentRefunded(String id, String orderId) implements TicketingEvent {

    @Override
    public String recordId() {
        return orderId;
    }
}
