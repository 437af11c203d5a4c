package dev.ticketing.events.bus;

import dev.ticketing.events.EventHeaders;
import dev.ticketing.events.EventType;
import io.nats.client.Message;
import io.nats.client.impl.NatsJetStreamMetaData;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What becomes of a delivered message, for both ways of handling events: its metadata is read, then it is
 * acknowledged, given back for later ("not yet", or a failure with backoff) or parked as a dead letter, each
 * with its metric. The redelivery limits live here, where early events, failing handlers and unreachable
 * databases are told apart (the durable itself has no {@code max_deliver}).
 */
final class Settlement {

    private static final Logger log = LoggerFactory.getLogger(Settlement.class);

    private final EventType type;
    private final EventBusSettings.Consumer config;
    private final DeadLetterParking deadLetters;
    private final BusMetrics.Consumption metrics;

    Settlement(EventType type, EventBusSettings.Consumer config, DeadLetterParking deadLetters,
            BusMetrics.Consumption metrics) {
        this.type = type;
        this.config = config;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
    }

    /**
     * The delivery's metadata, from the event headers and JetStream's delivery info; counts a redelivery.
     * Throws {@link IllegalArgumentException} for headers no delivery can make readable.
     */
    EventMetadata metadata(Message message) {
        NatsJetStreamMetaData delivery = message.metaData();
        if (delivery.deliveredCount() > 1) {
            metrics.redelivered();
        }
        String eventId = message.hasHeaders() ? message.getHeaders().getFirst(EventHeaders.EVENT_ID) : null;
        String schema = message.hasHeaders() ? message.getHeaders().getFirst(EventHeaders.SCHEMA_VERSION) : null;
        String occurred = message.hasHeaders() ? message.getHeaders().getFirst(EventHeaders.OCCURRED_AT) : null;
        boolean resync = message.hasHeaders() && "true".equals(message.getHeaders().getFirst(EventHeaders.RESYNC));
        try {
            return new EventMetadata(
                    eventId == null ? new UUID(0, delivery.streamSequence()) : UUID.fromString(eventId),
                    type,
                    schema == null ? EventType.SCHEMA_VERSION : Integer.parseInt(schema),
                    occurred == null ? () -> delivery.timestamp().toInstant() : () -> Instant.parse(occurred),
                    delivery.deliveredCount(),
                    delivery.streamSequence(),
                    resync);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Malformed event headers: " + e.getMessage(), e);
        }
    }

    void acknowledge(Message message, long handlerNanos) {
        message.ack();
        metrics.handled(BusMetrics.Outcome.ACKED, handlerNanos);
    }

    /** The handler said "not yet" and the event stays in the process for another look (batch handlers). */
    void heldBack(long handlerNanos) {
        metrics.handled(BusMetrics.Outcome.NOT_YET, handlerNanos);
    }

    void notYet(Message message, EventMetadata metadata, NotYet early, long handlerNanos) {
        long deliveries = metadata.deliveryCount();
        BusMetrics.Outcome outcome = BusMetrics.Outcome.NOT_YET;
        if (deliveries >= config.notYetMaxDeliveries()) {
            outcome = park(message, "still early after " + deliveries + " deliveries", early, outcome);
        } else {
            Duration delay = EventBusSettings.Consumer.backoff(config.notYetDelay(), config.notYetMaxDelay(), deliveries);
            log.debug("{} {} is early ({}); redelivering in {}", type.subject(), metadata.eventId(), early.getMessage(), delay);
            message.nakWithDelay(delay);
        }
        metrics.handled(outcome, handlerNanos);
    }

    void retry(Message message, EventMetadata metadata, Exception failure, long handlerNanos) {
        long deliveries = metadata.deliveryCount();
        BusMetrics.Outcome outcome = BusMetrics.Outcome.FAILED;
        if (ResourceFailures.isUnavailable(failure)) {
            // Its database is down, not the event bad: keep it on the server, without limit, until it is back.
            Duration delay = EventBusSettings.Consumer.backoff(config.retryDelay(), config.retryMaxDelay(), deliveries);
            log.warn("Handler of {} {} cannot reach its resource (delivery {}): {}; redelivering in {}, without limit",
                    type.subject(), metadata.eventId(), deliveries, failure.toString(), delay);
            message.nakWithDelay(delay);
        } else if (deliveries >= config.maxDeliver()) {
            outcome = park(message, "handler failed " + deliveries + " times", failure, outcome);
        } else {
            Duration delay = EventBusSettings.Consumer.backoff(config.retryDelay(), config.retryMaxDelay(), deliveries);
            log.warn("Handler of {} {} failed (delivery {} of {}); redelivering in {}", type.subject(),
                    metadata.eventId(), deliveries, config.maxDeliver(), delay, failure);
            message.nakWithDelay(delay);
        }
        metrics.handled(outcome, handlerNanos);
    }

    /** No delivery can make a malformed message readable: it is parked at once. No handler ran, so no time. */
    void malformed(Message message, RuntimeException error) {
        metrics.handled(park(message, "malformed", error, BusMetrics.Outcome.FAILED));
    }

    /**
     * Parks the message, or gives it back if parking failed. Returns the delivery's one outcome: dead-lettered,
     * or {@code unparked} when it comes back.
     */
    private BusMetrics.Outcome park(Message message, String reason, Throwable error, BusMetrics.Outcome unparked) {
        if (deadLetters.park(message, reason, error)) {
            return BusMetrics.Outcome.DEAD_LETTERED;
        }
        message.nakWithDelay(config.retryMaxDelay());
        return unparked;
    }
}
