package dev.ticketing.orders;

/** A paid order keeps its ticket: it cannot be cancelled. */
final class OrderComplete extends RuntimeException {

    OrderComplete() {
        // A refusal, not a fault: no stack trace to fill or log.
        super("Cannot cancel a paid order", null, false, false);
    }
}
