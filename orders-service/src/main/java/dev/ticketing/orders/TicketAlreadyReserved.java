package dev.ticketing.orders;

import dev.ticketing.web.errors.BadRequestException;

/** Another order (created, awaiting payment or complete) already holds the ticket. */
final class TicketAlreadyReserved extends BadRequestException {

    TicketAlreadyReserved() {
        super("Ticket is already reserved");
    }
}
