package dev.ticketing.events.bus;

import dev.ticketing.events.EventHeaders;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.Message;
import io.nats.client.PublishOptions;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import java.io.IOException;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Parks a message that cannot be handled: copies it, with its original headers and the reason, to
 * {@code <prefix>.<service>.<subject>} in the dead-letter stream, where it stays for inspection, and only
 * then terminates the original so the consumer moves on. If parking fails, the message is not lost: the
 * caller leaves it to be redelivered.
 */
final class DeadLetterParking {

    private static final Logger log = LoggerFactory.getLogger(DeadLetterParking.class);
    private static final int MAX_ERROR_LENGTH = 1000;

    private final Supplier<@Nullable JetStream> jetStream;
    private final EventBusSettings settings;

    /** {@code jetStream} is read at each parking: the context exists only once the bus is connected. */
    DeadLetterParking(Supplier<@Nullable JetStream> jetStream, EventBusSettings settings) {
        this.jetStream = jetStream;
        this.settings = settings;
    }

    String subjectFor(String originalSubject) {
        return settings.deadLetters().subjectPrefix() + "." + settings.serviceName() + "." + originalSubject;
    }

    /** Returns whether the message was parked (and terminated). */
    boolean park(Message message, String reason, String error) {
        long deliveries = message.metaData().deliveredCount();
        long sequence = message.metaData().streamSequence();
        Headers headers = message.hasHeaders() ? new Headers(message.getHeaders()) : new Headers();
        headers.put(EventHeaders.DEAD_LETTER_SUBJECT, message.getSubject());
        headers.put(EventHeaders.DEAD_LETTER_SERVICE, settings.serviceName());
        headers.put(EventHeaders.DEAD_LETTER_REASON, reason);
        headers.put(EventHeaders.DEAD_LETTER_ERROR, oneLine(error));
        headers.put(EventHeaders.DEAD_LETTER_DELIVERIES, Long.toString(deliveries));
        headers.put(EventHeaders.DEAD_LETTER_STREAM_SEQUENCE, Long.toString(sequence));
        // One dead letter per (service, stream sequence), however often parking is retried.
        headers.put(EventHeaders.MESSAGE_ID, "dead-letter-" + settings.serviceName() + "-" + sequence);
        String subject = subjectFor(message.getSubject());
        try {
            JetStream js = jetStream.get();
            if (js == null) {
                throw new IOException("not connected to JetStream");
            }
            js.publish(NatsMessage.builder().subject(subject).headers(headers).data(message.getData()).build(),
                    PublishOptions.builder().expectedStream(settings.deadLetters().stream()).build());
            message.term();
            log.error("Parked {} (stream sequence {}) as a dead letter on {} after {} deliveries: {}: {}",
                    message.getSubject(), sequence, subject, deliveries, reason, oneLine(error));
            return true;
        } catch (IOException | JetStreamApiException | RuntimeException e) {
            log.error("Could not park {} (stream sequence {}) as a dead letter; it will be redelivered",
                    message.getSubject(), sequence, e);
            return false;
        }
    }

    /** An exception as a dead letter's error: its class and message. */
    static String describe(Throwable error) {
        return error.getClass().getName() + (error.getMessage() == null ? "" : ": " + error.getMessage());
    }

    private static String oneLine(String error) {
        // Header values are one line.
        String text = error.replaceAll("[\\r\\n]+", " ");
        return text.length() > MAX_ERROR_LENGTH ? text.substring(0, MAX_ERROR_LENGTH) : text;
    }
}
