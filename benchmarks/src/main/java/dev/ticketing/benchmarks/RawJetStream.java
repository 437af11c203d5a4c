package dev.ticketing.benchmarks;

import dev.ticketing.events.EventHeaders;
import dev.ticketing.events.bus.EventBusSettings;
import io.nats.client.ConsumeOptions;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.MessageConsumer;
import io.nats.client.MessageHandler;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.DeliverPolicy;
import java.io.IOException;
import java.time.Duration;
import java.util.UUID;

/**
 * The ceiling: plain jnats on the same server, the same messages and the same consumer settings as the
 * library, with nothing else in the path. One connection publishes and another consumes, as a service's
 * publisher and its listener would.
 */
final class RawJetStream implements AutoCloseable {

    private final Workload workload;
    private final EventBusSettings.Consumer consumerSettings;
    private final StreamJanitor janitor;
    private final Connection publisher;
    private final Connection consumer;
    private final JetStream jetStream;

    RawJetStream(String url, Workload workload, EventBusSettings.Consumer consumerSettings, StreamJanitor janitor)
            throws IOException, InterruptedException {
        this.workload = workload;
        this.consumerSettings = consumerSettings;
        this.janitor = janitor;
        this.publisher = Nats.connect(Options.builder().server(url).connectionName("bench-raw-publisher").build());
        this.consumer = Nats.connect(Options.builder().server(url).connectionName("bench-raw-consumer").build());
        this.jetStream = publisher.jetStream();
    }

    /** publishAsync of the event's raw twin: same payload, headers and message id. */
    Throughput publish(int messages, int inFlight, Duration timeout) throws InterruptedException {
        long batch = Workload.newBatch();
        return PublishLoop.run(messages, inFlight, timeout,
                i -> jetStream.publishAsync(workload.rawMessage(batch, i), workload.rawOptions(batch, i)));
    }

    /** publishAsync of the same number of bytes with no headers and no message id (reference only). */
    Throughput publishBare(int messages, int inFlight, Duration timeout) throws InterruptedException {
        return PublishLoop.run(messages, inFlight, timeout, i -> jetStream.publishAsync(workload.bareMessage()));
    }

    /**
     * A new durable reads the whole stream with {@code consume()} and acks each message; timed from the
     * consumer's creation to the last message handled, as the library's subscribe is.
     */
    Throughput consume(String durable, int expected, Duration timeout) throws Exception {
        ArrivalCounter counter = new ArrivalCounter(expected);
        long cpu = CpuClock.now();
        long started = System.nanoTime();
        Duration elapsed;
        try (MessageConsumer running = start(durable, message -> {
            message.ack();
            counter.arrived();
        })) {
            elapsed = counter.await(started, timeout, "raw consume " + durable);
            Duration cpuUsed = CpuClock.since(cpu);
            long unsettled = janitor.unsettled(Workload.RAW_STREAM, durable, Duration.ofSeconds(10));
            running.stop();
            return new Throughput(expected, elapsed, cpuUsed, unsettled);
        } finally {
            janitor.deleteConsumer(Workload.RAW_STREAM, durable);
        }
    }

    /** Paced publishes to a fresh durable; the handler reads the event id header (as any raw user would) and acks. */
    LatencyResult latency(LatencyProbe probe, int inFlight, Duration timeout) throws Exception {
        String durable = "bench-raw-latency";
        janitor.purge(Workload.RAW_STREAM);
        try (MessageConsumer running = start(durable, message -> {
            UUID eventId = UUID.fromString(message.getHeaders().getFirst(EventHeaders.EVENT_ID));
            probe.received(Workload.index(eventId));
            message.ack();
        })) {
            long batch = Workload.newBatch();
            probe.send(i -> jetStream.publishAsync(workload.rawMessage(batch, i), workload.rawOptions(batch, i)),
                    inFlight, timeout);
            probe.awaitReceived(probe.total() - probe.publishFailures(), timeout);
            running.stop();
            return probe.result();
        } finally {
            janitor.deleteConsumer(Workload.RAW_STREAM, durable);
        }
    }

    /** The library's consumer, spelled out in jnats: same ack policy, limits, batch and expiry. */
    private MessageConsumer start(String durable, MessageHandler handler) throws IOException, JetStreamApiException {
        janitor.created(Workload.RAW_STREAM, durable);
        ConsumerConfiguration configuration = ConsumerConfiguration.builder()
                .durable(durable)
                .filterSubject(Workload.RAW_SUBJECT)
                .ackPolicy(AckPolicy.Explicit)
                .deliverPolicy(DeliverPolicy.All)
                .ackWait(consumerSettings.ackWait())
                .maxAckPending(consumerSettings.maxAckPending())
                .maxDeliver(-1)
                .build();
        ConsumeOptions options = ConsumeOptions.builder()
                .batchSize(consumerSettings.batchSize())
                .expiresIn(Math.max(1000, consumerSettings.ackWait().toMillis()))
                .build();
        return consumer.getStreamContext(Workload.RAW_STREAM).createOrUpdateConsumer(configuration).consume(options, handler);
    }

    @Override
    public void close() throws InterruptedException {
        publisher.close();
        consumer.close();
    }
}
