package dev.ticketing.events.bus;

/**
 * Thrown by a handler when an event arrived before the one it depends on (a replica at version 3 receiving
 * version 5). The event is not acknowledged; it is redelivered after a short delay.
 */
public final class NotYet extends RuntimeException {

    public NotYet(String reason) {
        super(reason, null, false, false); // expected control flow: no stack trace needed
    }
}
