package dev.ticketing.events;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * An event with the identity and time it keeps across re-publishes: the outbox stores the envelope, so a
 * retried publish carries the same id and JetStream stores it once.
 *
 * @param resync whether the event restates a record's current state after the stream lost its history (sent with
 *     the {@value EventHeaders#RESYNC} header), rather than a change
 */
public record EventEnvelope(UUID eventId, TicketingEvent payload, Instant occurredAt, boolean resync) {

    public EventEnvelope {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(occurredAt, "occurredAt");
    }

    /** An event about a change. */
    public EventEnvelope(UUID eventId, TicketingEvent payload, Instant occurredAt) {
        this(eventId, payload, occurredAt, false);
    }

    public static EventEnvelope of(TicketingEvent payload) {
        return new EventEnvelope(UUID.randomUUID(), payload, Instant.now());
    }

    /**
     * A record's current state, republished for the event stream created at {@code streamCreatedAt}. The id is derived
     * from the record, its version and that creation time, so a resync repeated inside the duplicate window is
     * stored once, while the next loss of the stream gets ids of its own.
     */
    public static EventEnvelope resync(VersionedEvent state, Instant streamCreatedAt) {
        String name = "resync " + state.type().subject() + " " + state.id() + " v" + state.version() + " " + streamCreatedAt;
        return new EventEnvelope(UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)), state, Instant.now(), true);
    }

    public EventType type() {
        return payload.type();
    }
}
