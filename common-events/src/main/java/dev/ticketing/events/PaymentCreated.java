package dev.ticketing.events;

/**
 * {@code payment.created}: the card was charged for an order. {@code stripeId} is the provider's charge id (the
 * course's name, kept for the sandbox provider too).
 */
public record PaymentCreated(String id, String orderId, String stripeId) implements TicketingEvent {

    /** The order: a payment is one per order, and its events are ordered with the order's. */
    @Override
    public String recordId() {
        return orderId;
    }
}
