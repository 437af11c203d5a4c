package dev.ticketing.events.bus;

import dev.ticketing.events.EventType;
import java.util.UUID;

/** The server did not confirm that it stored an event (NATS unreachable, timeout, rejected). */
public final class PublishFailed extends RuntimeException {

    PublishFailed(EventType type, UUID eventId, Throwable cause) {
        super("Could not publish " + type.subject() + " " + eventId + ": " + cause.getMessage(), cause);
    }
}
