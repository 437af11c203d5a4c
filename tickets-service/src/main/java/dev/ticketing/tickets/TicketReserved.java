package dev.ticketing.tickets;

/** A reserved ticket cannot be edited until its order is cancelled. */
final class TicketReserved extends RuntimeException {

    TicketReserved() {
        // A refusal, not a fault: no stack trace to fill or log.
        super("Cannot edit a reserved ticket", null, false, false);
    }
}
