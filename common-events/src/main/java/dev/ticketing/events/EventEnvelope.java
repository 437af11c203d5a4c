package dev.ticketing.events;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * An event with the identity and time it keeps across re-publishes: the outbox stores the envelope, so a
 * retried publish carries the same id and JetStream stores it once.
 */
public record EventEnvelope(UUID eventId, TicketingEvent payload, Instant occurredAt) {

    public EventEnvelope {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(occurredAt, "occurredAt");
    }

    public static EventEnvelope of(TicketingEvent payload) {
        return new EventEnvelope(UUID.randomUUID(), payload, Instant.now());
    }

    public EventType type() {
        return payload.type();
    }
}
