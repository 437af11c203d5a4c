package dev.ticketing.events.bus;

import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.RetentionPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamInfo;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the event stream and the dead-letter stream, or brings their settable limits in line. Every
 * replica of every service runs it at start; it is idempotent and tolerates losing a creation race.
 */
final class StreamProvisioner {

    private static final Logger log = LoggerFactory.getLogger(StreamProvisioner.class);
    static final List<String> EVENT_SUBJECTS = List.of("ticket.>", "order.>", "expiration.>", "payment.>");
    private static final int STREAM_NAME_IN_USE = 10058;
    static final int STREAM_NOT_FOUND = 10059;

    private final EventBusSettings settings;

    StreamProvisioner(EventBusSettings settings) {
        this.settings = settings;
    }

    /** Creates or aligns both streams; returns when the event stream was created. */
    Instant provision(JetStreamManagement jsm) throws IOException, JetStreamApiException {
        EventBusSettings.Stream stream = settings.stream();
        StreamInfo events = ensure(jsm, StreamConfiguration.builder()
                .name(stream.name())
                .subjects(EVENT_SUBJECTS)
                .storageType(StorageType.File)
                .retentionPolicy(RetentionPolicy.Limits)
                .replicas(stream.replicas())
                .maxAge(stream.maxAge())
                .duplicateWindow(stream.duplicateWindow())
                .build());
        EventBusSettings.DeadLetters deadLetters = settings.deadLetters();
        ensure(jsm, StreamConfiguration.builder()
                .name(deadLetters.stream())
                .subjects(deadLetters.subjectPrefix() + ".>")
                .storageType(StorageType.File)
                .retentionPolicy(RetentionPolicy.Limits)
                .replicas(stream.replicas())
                .maxAge(deadLetters.maxAge())
                .duplicateWindow(Duration.ofMinutes(2))
                .build());
        return events.getCreateTime().toInstant();
    }

    /**
     * When the event stream on the server was created, or null when the server has none (one request; checked
     * periodically by the bus). A new time means the stream was made again, without the history of the old one.
     */
    @Nullable Instant createdAt(JetStreamManagement jsm) throws IOException, JetStreamApiException {
        try {
            return jsm.getStreamInfo(settings.stream().name()).getCreateTime().toInstant();
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() == STREAM_NOT_FOUND) {
                return null;
            }
            throw e;
        }
    }

    private StreamInfo ensure(JetStreamManagement jsm, StreamConfiguration wanted) throws IOException, JetStreamApiException {
        try {
            StreamInfo created = jsm.addStream(wanted);
            log.info("Created stream {} for {} with {} replica(s)", wanted.getName(), wanted.getSubjects(),
                    wanted.getReplicas());
            return created;
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() != STREAM_NAME_IN_USE) {
                throw new IllegalStateException("Cannot create stream " + wanted.getName() + " with "
                        + wanted.getReplicas() + " replica(s): " + e.getErrorDescription() + (wanted.getReplicas() > 1
                        ? " (ticketing.nats.stream.replicas must not exceed the JetStream servers of the cluster)" : ""),
                        e);
            }
            return align(jsm, wanted);
        }
    }

    /**
     * The stream exists already (created earlier or by another replica): align the settable limits, replicas
     * included where the server allows it. A refusal is logged and the stream kept as it is: consuming from it
     * matters more than its settings.
     */
    private StreamInfo align(JetStreamManagement jsm, StreamConfiguration wanted)
            throws IOException, JetStreamApiException {
        try {
            StreamInfo existing = jsm.updateStream(wanted);
            log.debug("Stream {} exists; limits updated", wanted.getName());
            return existing;
        } catch (JetStreamApiException refused) {
            log.error("Stream {} exists with settings the server will not change to the wanted ones ({} replica(s),"
                    + " max age {}): {}. It is used as it is.", wanted.getName(), wanted.getReplicas(),
                    wanted.getMaxAge(), refused.getErrorDescription());
            return jsm.getStreamInfo(wanted.getName());
        }
    }
}
