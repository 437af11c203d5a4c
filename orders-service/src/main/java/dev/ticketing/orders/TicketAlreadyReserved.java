package dev.ticketing.orders;

/** Another order (created, awaiting payment or complete) already holds the ticket. */
final class TicketAlreadyReserved extends RuntimeException {

    TicketAlreadyReserved() {
        super("Ticket is already reserved", null, false, false);
    }
}
