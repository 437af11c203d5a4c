package dev.ticketing.benchmarks;

import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.RetentionPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamInfo;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The benchmark's housekeeping on the server: creates the raw stream, purges streams between runs, checks
 * that consumers acknowledged everything, and at the end removes what the benchmark created, so that a run
 * against a long-lived server ({@code NATS_URL}) leaves it as it found it.
 */
final class StreamJanitor implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StreamJanitor.class);

    private final JetStreamManagement jsm;
    private final Set<String> used;
    private final Set<String> existedBefore;
    private final List<Durable> durables = new ArrayList<>();

    private record Durable(String stream, String name) {
    }

    /** {@code used}: the streams the benchmark writes to; those it finds absent it deletes at the end. */
    StreamJanitor(JetStreamManagement jsm, Set<String> used) throws IOException, JetStreamApiException {
        this.jsm = jsm;
        this.used = Set.copyOf(used);
        this.existedBefore = new HashSet<>(jsm.getStreamNames());
    }

    /** Refuses to purge a stream that holds someone else's events. */
    void requireEmptyOrAbsent(String stream) throws IOException, JetStreamApiException {
        if (existedBefore.contains(stream)) {
            long messages = jsm.getStreamInfo(stream).getStreamState().getMsgCount();
            if (messages > 0) {
                throw new IllegalStateException("Stream " + stream + " already holds " + messages
                        + " messages and the benchmark purges it: point NATS_URL at a scratch server");
            }
        }
    }

    /** The raw phases' stream, configured like the library's event stream (file storage, 2-minute dedup window). */
    void createRawStream() throws IOException, JetStreamApiException {
        StreamConfiguration config = StreamConfiguration.builder()
                .name(Workload.RAW_STREAM)
                .subjects(Workload.RAW_SUBJECTS)
                .storageType(StorageType.File)
                .retentionPolicy(RetentionPolicy.Limits)
                .duplicateWindow(Duration.ofMinutes(2))
                .build();
        if (existedBefore.contains(Workload.RAW_STREAM)) {
            jsm.updateStream(config);
        } else {
            jsm.addStream(config);
        }
    }

    void purge(String stream) throws IOException, JetStreamApiException {
        jsm.purgeStream(stream);
    }

    long lastSequence(String stream) throws IOException, JetStreamApiException {
        StreamInfo info = jsm.getStreamInfo(stream);
        return info.getStreamState().getLastSequence();
    }

    /** Remembers a durable so that {@link #close()} deletes it even if its run fails half-way. */
    void created(String stream, String durable) {
        durables.add(new Durable(stream, durable));
    }

    /**
     * Messages of {@code durable} that the server has not seen acknowledged (pending or awaiting ack), waiting
     * up to {@code timeout} for acks still on their way.
     */
    long unsettled(String stream, String durable, Duration timeout) throws IOException, JetStreamApiException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            ConsumerInfo info = jsm.getConsumerInfo(stream, durable);
            long unsettled = info.getNumPending() + info.getNumAckPending();
            if (unsettled == 0 || System.nanoTime() > deadline) {
                return unsettled;
            }
            Thread.sleep(20);
        }
    }

    void deleteConsumer(String stream, String durable) {
        try {
            jsm.deleteConsumer(stream, durable);
        } catch (IOException | JetStreamApiException e) {
            log.debug("Consumer {} on {} already gone: {}", durable, stream, e.toString());
        }
    }

    /** Deletes every durable the benchmark made and the streams it used that did not exist before it started. */
    @Override
    public void close() {
        durables.forEach(durable -> deleteConsumer(durable.stream(), durable.name()));
        try {
            for (String stream : jsm.getStreamNames()) {
                if (used.contains(stream) && !existedBefore.contains(stream)) {
                    jsm.deleteStream(stream);
                }
            }
        } catch (IOException | JetStreamApiException e) {
            log.warn("Could not remove the benchmark's streams: {}", e.toString());
        }
    }
}
