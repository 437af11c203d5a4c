package dev.ticketing.events.bus;

import dev.ticketing.events.EventEnvelope;

/** The server did not confirm that it stored an event (NATS unreachable, timeout, rejected). */
public final class PublishFailed extends RuntimeException {

    private final transient EventEnvelope envelope;

    PublishFailed(EventEnvelope envelope, Throwable cause) {
        super("Could not publish " + envelope.type().subject() + " " + envelope.eventId() + ": " + cause.getMessage(), cause);
        this.envelope = envelope;
    }

    public EventEnvelope envelope() {
        return envelope;
    }
}
