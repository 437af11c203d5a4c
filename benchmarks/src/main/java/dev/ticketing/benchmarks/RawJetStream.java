package dev.ticketing.benchmarks;

import dev.ticketing.benchmarks.Figures.Latency;
import dev.ticketing.benchmarks.Figures.Run;
import dev.ticketing.events.EventHeaders;
import dev.ticketing.events.bus.EventBusSettings;
import io.nats.client.ConsumeOptions;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.MessageConsumer;
import io.nats.client.MessageHandler;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.DeliverPolicy;
import java.time.Duration;
import java.util.UUID;

/**
 * The ceiling: plain jnats on the same server, with the same messages and consumer settings as the library and
 * nothing else in the path. One connection publishes and another consumes, as a service's would.
 */
final class RawJetStream implements AutoCloseable {

    private final Workload workload;
    private final EventBusSettings.Consumer settings;
    private final StreamJanitor janitor;
    private final Connection publisher;
    private final Connection consumer;
    private final JetStream jetStream;

    RawJetStream(String url, Workload workload, EventBusSettings.Consumer settings, StreamJanitor janitor)
            throws Exception {
        this.workload = workload;
        this.settings = settings;
        this.janitor = janitor;
        this.publisher = Nats.connect(Options.builder().server(url).connectionName("bench-raw-publisher").build());
        this.consumer = Nats.connect(Options.builder().server(url).connectionName("bench-raw-consumer").build());
        this.jetStream = publisher.jetStream();
    }

    /** publishAsync of the event's raw twin: same payload, headers and message id. */
    Run publish(int messages, int inFlight, Duration timeout) throws InterruptedException {
        long batch = Workload.newBatch();
        return Load.window(messages, inFlight, timeout,
                i -> jetStream.publishAsync(workload.rawMessage(batch, i), workload.rawOptions(batch, i)));
    }

    /** publishAsync of the same number of bytes with no headers and no message id (reference only). */
    Run publishBare(int messages, int inFlight, Duration timeout) throws InterruptedException {
        return Load.window(messages, inFlight, timeout, i -> jetStream.publishAsync(workload.bareMessage()));
    }

    /** A new durable reads the stream with {@code consume()}, acking each; timed from its creation, like subscribe. */
    Run consume(String durable, int expected, Duration timeout) throws Exception {
        Load.Arrivals counter = new Load.Arrivals(expected);
        long cpu = Figures.ownCpuNanos();
        long started = System.nanoTime();
        try (MessageConsumer running = start(durable, message -> {
            message.ack();
            counter.arrived();
        })) {
            double seconds = counter.await(started, timeout, "raw consume " + durable);
            double cpuSeconds = (Figures.ownCpuNanos() - cpu) / 1e9;
            return new Run(expected, seconds, cpuSeconds, janitor.unsettled(Workload.RAW_STREAM, durable));
        } finally {
            janitor.deleteConsumer(Workload.RAW_STREAM, durable);
        }
    }

    /** Paced publishes to a fresh durable; the handler reads the event id header (as any raw user would) and acks. */
    Latency latency(LatencyProbe probe, int inFlight, Duration timeout) throws Exception {
        String durable = "bench-raw-latency";
        janitor.purge(Workload.RAW_STREAM);
        try (MessageConsumer running = start(durable, message -> {
            probe.received(Workload.index(UUID.fromString(message.getHeaders().getFirst(EventHeaders.EVENT_ID))));
            message.ack();
        })) {
            long batch = Workload.newBatch();
            return probe.run(i -> jetStream.publishAsync(workload.rawMessage(batch, i), workload.rawOptions(batch, i)),
                    inFlight, timeout);
        } finally {
            janitor.deleteConsumer(Workload.RAW_STREAM, durable);
        }
    }

    /** The library's consumer, spelled out in jnats: same ack policy, limits, batch and expiry. */
    private MessageConsumer start(String durable, MessageHandler handler) throws Exception {
        ConsumerConfiguration configuration = ConsumerConfiguration.builder().durable(durable)
                .filterSubject(Workload.RAW_SUBJECT).ackPolicy(AckPolicy.Explicit).deliverPolicy(DeliverPolicy.All)
                .ackWait(settings.ackWait()).maxAckPending(settings.maxAckPending()).maxDeliver(-1).build();
        ConsumeOptions options = ConsumeOptions.builder().batchSize(settings.batchSize())
                .expiresIn(Math.max(1000, settings.ackWait().toMillis())).build();
        return consumer.getStreamContext(Workload.RAW_STREAM).createOrUpdateConsumer(configuration)
                .consume(options, handler);
    }

    @Override
    public void close() throws InterruptedException {
        publisher.close();
        consumer.close();
    }
}
