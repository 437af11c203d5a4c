package dev.ticketing.events.bus;

import dev.ticketing.events.EventType;
import java.time.Instant;
import java.util.UUID;

/** What the bus knows about one delivery of an event. */
public record EventMetadata(UUID eventId, EventType type, int schemaVersion, Instant occurredAt,
        long deliveryCount, long streamSequence) {

    public boolean isRedelivery() {
        return deliveryCount > 1;
    }
}
