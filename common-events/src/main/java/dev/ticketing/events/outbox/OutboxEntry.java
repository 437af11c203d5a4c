package dev.ticketing.events.outbox;

import dev.ticketing.events.EventCodec;
import dev.ticketing.events.TicketingEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

/**
 * An event waiting in its aggregate's document to be published. An aggregate keeps these in a field named
 * {@value #FIELD}, so that the record and the events its change caused are written in one single-document
 * (atomic) write; the relay publishes them and then removes them.
 *
 * @param eventId becomes {@code Nats-Msg-Id}: a re-publish after a crash is stored once
 * @param subject the event's subject, which names its type
 * @param payload the event's JSON, encoded once here and published byte for byte
 * @param occurredAt when the change happened
 */
public record OutboxEntry(String eventId, String subject, String payload, Instant occurredAt) {

    /** The document field that holds an aggregate's pending events, oldest first. */
    public static final String FIELD = "outbox";

    public static OutboxEntry of(TicketingEvent event) {
        // The shared codec, not a field or nested class here: Spring Data's AOT processing maps every type it can
        // reach from a document's fields and nested classes, and Jackson's internals cannot be mapped.
        return new OutboxEntry(UUID.randomUUID().toString(), event.type().subject(),
                new String(EventCodec.shared().encode(event), StandardCharsets.UTF_8), Instant.now());
    }
}
