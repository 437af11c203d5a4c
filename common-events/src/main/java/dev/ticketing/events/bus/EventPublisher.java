package dev.ticketing.events.bus;

import dev.ticketing.events.EventEnvelope;
import dev.ticketing.events.EventType;
import dev.ticketing.events.TicketingEvent;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * Publishes events to JetStream and waits until the server has stored them. The event id is the message id, so
 * publishing the same event again within the duplicate window stores it once.
 */
public interface EventPublisher {

    /**
     * Publishes and waits for JetStream's acknowledgement.
     *
     * @throws PublishFailed when the server did not confirm that it stored the event
     */
    PublishReceipt publish(EventEnvelope envelope);

    /**
     * Publishes an event already encoded as its JSON payload (what the outbox stored), byte for byte, and waits for
     * JetStream's acknowledgement.
     *
     * @throws PublishFailed when the server did not confirm that it stored the event
     */
    PublishReceipt publishEncoded(EventType type, UUID eventId, Instant occurredAt, byte[] json);

    /** Publishes a new event with a fresh id. */
    default PublishReceipt publish(TicketingEvent event) {
        return publish(EventEnvelope.of(event));
    }

    /** Publishes without blocking; the future completes with the server's acknowledgement. */
    CompletableFuture<PublishReceipt> publishAsync(EventEnvelope envelope);

    /** JetStream's acknowledgement of a publish: where the event was stored, or that it already was. */
    record PublishReceipt(String stream, long sequence, boolean duplicate) {
    }
}
