package dev.ticketing.benchmarks;

import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** The benchmarks' housekeeping on a server, so that one of the user's own ({@code NATS_URL}) is left as found. */
final class StreamJanitor implements AutoCloseable {

    private final JetStreamManagement jsm;
    private final List<String> used;
    private final List<String> existedBefore;

    /** {@code used}: the streams the benchmark writes to; those it finds absent it deletes at the end. */
    StreamJanitor(JetStreamManagement jsm, String... used) throws IOException, JetStreamApiException {
        this.jsm = jsm;
        this.used = List.of(used);
        this.existedBefore = jsm.getStreamNames();
    }

    /** Refuses to purge a stream that holds someone else's events. */
    void requireEmptyOrAbsent(String stream) throws IOException, JetStreamApiException {
        long messages = existedBefore.contains(stream) ? jsm.getStreamInfo(stream).getStreamState().getMsgCount() : 0;
        if (messages > 0) {
            throw new IllegalStateException("Stream " + stream + " already holds " + messages
                    + " messages and the benchmark purges it: point NATS_URL at a scratch server");
        }
    }

    /** The raw phases' stream, configured like the library's event stream (file storage, 2-minute dedup window). */
    void createRawStream() throws IOException, JetStreamApiException {
        StreamConfiguration config = StreamConfiguration.builder().name(RawJetStream.STREAM)
                .subjects(RawJetStream.SUBJECTS).storageType(StorageType.File).duplicateWindow(Duration.ofMinutes(2))
                .build();
        if (existedBefore.contains(RawJetStream.STREAM)) {
            jsm.updateStream(config);
        } else {
            jsm.addStream(config);
        }
    }

    void purge(String stream) throws IOException, JetStreamApiException {
        jsm.purgeStream(stream);
    }

    /** Messages of the durable not acknowledged (pending or awaiting ack) after up to 10 s for acks on their way. */
    long unsettled(String stream, String durable) throws IOException, JetStreamApiException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            ConsumerInfo info = jsm.getConsumerInfo(stream, durable);
            long unsettled = info.getNumPending() + info.getNumAckPending();
            if (unsettled == 0 || System.nanoTime() > deadline) {
                return unsettled;
            }
            Thread.sleep(20);
        }
    }

    void deleteConsumer(String stream, @Nullable String durable) {
        try {
            if (durable != null) {
                jsm.deleteConsumer(stream, durable);
            }
        } catch (IOException | JetStreamApiException e) {
            // Already gone.
        }
    }

    @Override
    public void close() {
        try {
            for (String stream : jsm.getStreamNames()) {
                if (used.contains(stream) && !existedBefore.contains(stream)) {
                    jsm.deleteStream(stream);
                }
            }
        } catch (IOException | JetStreamApiException e) {
            System.err.println("Could not remove the benchmark's streams: " + e);
        }
    }
}
