package dev.ticketing.events.bus;

import dev.ticketing.events.EventEnvelope;
import dev.ticketing.events.TicketingEvent;
import java.util.concurrent.CompletableFuture;

/** Publishes events to JetStream and waits until the server has stored them. */
public interface EventPublisher {

    /**
     * Publishes and waits for JetStream's acknowledgement. The envelope's event id is the message id, so
     * publishing the same envelope again within the duplicate window stores it once.
     *
     * @throws PublishFailed when the server did not confirm that it stored the event
     */
    PublishReceipt publish(EventEnvelope envelope);

    /** Publishes a new event with a fresh id. */
    default PublishReceipt publish(TicketingEvent event) {
        return publish(EventEnvelope.of(event));
    }

    /** Publishes without blocking; the future completes with the server's acknowledgement. */
    CompletableFuture<PublishReceipt> publishAsync(EventEnvelope envelope);
}
