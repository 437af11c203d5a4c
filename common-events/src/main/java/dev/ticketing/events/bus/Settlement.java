package dev.ticketing.events.bus;

import dev.ticketing.events.EventHeaders;
import dev.ticketing.events.EventType;
import dev.ticketing.events.bus.BatchEventHandler.Delivery;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.Message;
import io.nats.client.PublishOptions;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsJetStreamMetaData;
import io.nats.client.impl.NatsMessage;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.util.ClassUtils;

/**
 * What becomes of a delivered message: its metadata is read, then the handler's {@link Verdict} is acted on:
 * acknowledged, given back for later ("not yet", or a failure with backoff) or parked as a dead letter, each
 * counted once. The redelivery limits live here, where early events, failing handlers and unreachable
 * databases are told apart (the durable itself has no {@code max_deliver}). A dead letter is parked in its own
 * stream before the original is terminated; if parking fails, the message is given back, not lost.
 */
final class Settlement {

    private static final Logger log = LoggerFactory.getLogger(Settlement.class);

    private static final List<Class<?>> UNAVAILABLE = Stream.of(
                    "org.springframework.dao.DataAccessResourceFailureException",
                    "org.springframework.dao.TransientDataAccessResourceException")
            .filter(name -> ClassUtils.isPresent(name, Settlement.class.getClassLoader()))
            .<Class<?>>map(name -> ClassUtils.resolveClassName(name, Settlement.class.getClassLoader()))
            .toList();

    private static final int MAX_ERROR_LENGTH = 1000;
    private static final Headers EMPTY = new Headers(null, true);

    private final EventType type;
    private final EventBusSettings settings;
    private final EventBusSettings.Consumer config;
    private final Supplier<@Nullable JetStream> jetStream;
    private final BusMetrics.Consumption metrics;

    /** {@code jetStream} is read at each parking: the context exists only once the bus is connected. */
    Settlement(EventType type, EventBusSettings settings, Supplier<@Nullable JetStream> jetStream,
            BusMetrics.Consumption metrics) {
        this.type = type;
        this.settings = settings;
        this.config = settings.consumer();
        this.jetStream = jetStream;
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
        Headers headers = message.hasHeaders() ? message.getHeaders() : EMPTY;
        String eventId = headers.getFirst(EventHeaders.EVENT_ID);
        String schema = headers.getFirst(EventHeaders.SCHEMA_VERSION);
        String occurred = headers.getFirst(EventHeaders.OCCURRED_AT);
        boolean resync = "true".equals(headers.getFirst(EventHeaders.RESYNC));
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

    /** Acts on the handler's verdict and counts the delivery once, under the verdict that settled it. */
    void settle(Message message, Delivery<?> delivery, long handlerNanos) {
        Verdict verdict = delivery.verdict();
        EventMetadata metadata = delivery.metadata();
        long deliveries = metadata.deliveryCount();
        Verdict counted = switch (verdict) {
            case APPLIED, REPEAT -> {
                message.ack();
                yield verdict;
            }
            case NOT_YET -> {
                if (deliveries >= config.notYetMaxDeliveries()) {
                    yield park(message, "still early after " + deliveries + " deliveries", delivery.why(), verdict);
                }
                Duration delay = EventBusSettings.Consumer.backoff(config.notYetDelay(), config.notYetMaxDelay(), deliveries);
                log.debug("{} {} is early ({}); redelivering in {}", type.subject(), metadata.eventId(), delivery.why(), delay);
                message.nakWithDelay(delay);
                yield verdict;
            }
            case FAILED -> failed(message, metadata, delivery);
            case REJECTED -> park(message, "rejected", delivery.why(), Verdict.FAILED);
        };
        metrics.handled(counted, handlerNanos);
    }

    private Verdict failed(Message message, EventMetadata metadata, Delivery<?> delivery) {
        long deliveries = metadata.deliveryCount();
        Exception failure = delivery.failure();
        Duration delay = EventBusSettings.Consumer.backoff(config.retryDelay(), config.retryMaxDelay(), deliveries);
        if (failure != null && isUnavailable(failure)) {
            // Its database is down, not the event bad: keep it on the server, without limit, until it is back.
            log.warn("Handler of {} {} cannot reach its resource (delivery {}): {}; redelivering in {}, without limit",
                    type.subject(), metadata.eventId(), deliveries, failure.toString(), delay);
        } else if (deliveries >= config.maxDeliver()) {
            return park(message, "handler failed " + deliveries + " times",
                    failure == null ? delivery.why() : describe(failure), Verdict.FAILED);
        } else {
            log.warn("Handler of {} {} failed (delivery {} of {}); redelivering in {}", type.subject(),
                    metadata.eventId(), deliveries, config.maxDeliver(), delay, failure == null ? delivery.why() : failure);
        }
        message.nakWithDelay(delay);
        return Verdict.FAILED;
    }

    /** The handler said "not yet" and the event stays in the process for another look (batch handlers). */
    void heldBack(long handlerNanos) {
        metrics.handled(Verdict.NOT_YET, handlerNanos);
    }

    /** No delivery can make a malformed message readable: it is parked at once. No handler ran, so no time. */
    void malformed(Message message, RuntimeException error) {
        metrics.handled(park(message, "malformed", describe(error), Verdict.FAILED));
    }

    /**
     * Parks the message, or gives it back if parking failed. Returns the verdict to count: rejected (parked), or
     * {@code unparked} when it comes back.
     */
    private Verdict park(Message message, String reason, String error, Verdict unparked) {
        if (parked(message, reason, error)) {
            return Verdict.REJECTED;
        }
        message.nakWithDelay(config.retryMaxDelay());
        return unparked;
    }

    /**
     * Copies the message, with its original headers and the reason, to {@code <prefix>.<service>.<subject>} in the
     * dead-letter stream, where it stays for inspection, and only then terminates the original so the consumer moves
     * on. Returns false, the message untouched, if that failed.
     */
    private boolean parked(Message message, String reason, String error) {
        long deliveries = message.metaData().deliveredCount();
        long sequence = message.metaData().streamSequence();
        String oneLine = error.replaceAll("[\\r\\n]+", " "); // header values are one line
        Headers headers = message.hasHeaders() ? new Headers(message.getHeaders()) : new Headers();
        headers.put(EventHeaders.DEAD_LETTER_SUBJECT, message.getSubject());
        headers.put(EventHeaders.DEAD_LETTER_SERVICE, settings.serviceName());
        headers.put(EventHeaders.DEAD_LETTER_REASON, reason);
        headers.put(EventHeaders.DEAD_LETTER_ERROR, oneLine.substring(0, Math.min(oneLine.length(), MAX_ERROR_LENGTH)));
        headers.put(EventHeaders.DEAD_LETTER_DELIVERIES, Long.toString(deliveries));
        headers.put(EventHeaders.DEAD_LETTER_STREAM_SEQUENCE, Long.toString(sequence));
        // One dead letter per (service, stream sequence), however often parking is retried.
        headers.put(EventHeaders.MESSAGE_ID, "dead-letter-" + settings.serviceName() + "-" + sequence);
        String subject = settings.deadLetters().subjectPrefix() + "." + settings.serviceName() + "." + message.getSubject();
        try {
            JetStream js = jetStream.get();
            if (js == null) {
                throw new IOException("not connected to JetStream");
            }
            js.publish(NatsMessage.builder().subject(subject).headers(headers).data(message.getData()).build(),
                    PublishOptions.builder().expectedStream(settings.deadLetters().stream()).build());
            message.term();
            log.error("Parked {} (stream sequence {}) as a dead letter on {} after {} deliveries: {}: {}",
                    message.getSubject(), sequence, subject, deliveries, reason, oneLine);
            return true;
        } catch (IOException | JetStreamApiException | RuntimeException e) {
            log.error("Could not park {} (stream sequence {}) as a dead letter; it will be redelivered",
                    message.getSubject(), sequence, e);
            return false;
        }
    }

    /** An exception as a dead letter's error: its class and message. */
    private static String describe(Throwable error) {
        return error.getClass().getName() + (error.getMessage() == null ? "" : ": " + error.getMessage());
    }

    /**
     * Whether {@code failure}, or one of its causes (a few levels deep at most), says the handler's database is
     * unreachable: Spring translates connection refusals, socket errors and server selection timeouts into these.
     * Such an event is not poison. Looked up by name: without Spring's data access classes nothing is unavailable.
     */
    private static boolean isUnavailable(Throwable failure) {
        Throwable cause = failure;
        for (int depth = 0; cause != null && depth < 16; depth++, cause = cause.getCause()) {
            for (Class<?> unavailable : UNAVAILABLE) {
                if (unavailable.isInstance(cause)) {
                    return true;
                }
            }
        }
        return false;
    }
}
