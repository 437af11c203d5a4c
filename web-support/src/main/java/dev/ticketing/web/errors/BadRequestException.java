package dev.ticketing.web.errors;

/**
 * A business rule refused the request: 400 with the rule's message. Extend it to name the fact, e.g.
 * {@code class TicketReserved extends BadRequestException}.
 */
public class BadRequestException extends RuntimeException {

    public BadRequestException(String message) {
        // An expected outcome, not a fault: no stack trace to fill or log.
        super(message, null, false, false);
    }
}
