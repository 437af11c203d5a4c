package dev.ticketing.payments;

/** A cancelled (or expired) order cannot be paid; the contract's wording, article included. */
final class OrderWasCancelled extends RuntimeException {

    OrderWasCancelled() {
        super("Cannot pay for an cancelled order", null, false, false);
    }
}
