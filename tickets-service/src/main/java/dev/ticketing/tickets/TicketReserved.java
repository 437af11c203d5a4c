package dev.ticketing.tickets;

import dev.ticketing.web.errors.BadRequestException;

/** A reserved ticket cannot be edited until its order is cancelled. */
final class TicketReserved extends BadRequestException {

    TicketReserved() {
        super("Cannot edit a reserved ticket");
    }
}
