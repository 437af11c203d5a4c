package dev.ticketing.payments;

/** The order has a payment that is being charged, succeeded or was refunded, or the order is complete. */
final class OrderAlreadyPaid extends RuntimeException {

    OrderAlreadyPaid() {
        super("Order is already paid", null, false, false);
    }
}
