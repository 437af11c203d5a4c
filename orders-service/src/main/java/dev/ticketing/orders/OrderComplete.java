package dev.ticketing.orders;

import dev.ticketing.web.errors.BadRequestException;

/** A paid order keeps its ticket: it cannot be cancelled. */
final class OrderComplete extends BadRequestException {

    OrderComplete() {
        super("Cannot cancel a completed order");
    }
}
