package dev.ticketing.benchmarks;

import dev.ticketing.benchmarks.Figures.Latency;
import dev.ticketing.benchmarks.Figures.Run;
import dev.ticketing.events.EventCodec;
import dev.ticketing.events.EventHeaders;
import dev.ticketing.events.EventType;
import dev.ticketing.events.TicketCreated;
import dev.ticketing.events.bus.EventBusSettings;
import io.nats.client.Connection;
import io.nats.client.ConsumeOptions;
import io.nats.client.JetStream;
import io.nats.client.MessageConsumer;
import io.nats.client.MessageHandler;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.PublishOptions;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.api.PublishAck;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The ceiling: plain jnats sending the library's event as the library puts it on the wire, consumed with the same
 * settings; one connection publishes and another consumes, as a service's would.
 */
final class RawJetStream implements AutoCloseable {

    static final String STREAM = "BENCH_RAW";
    static final String SUBJECTS = "bench.raw.>";
    private static final String SUBJECT = "bench.raw.ticket.created";
    static final byte[] PAYLOAD = new EventCodec().encode(LibraryBus.EVENT);
    /** What a jnats user who wants typed events would write: Jackson's defaults, unknown fields ignored. */
    private static final JsonMapper PLAIN_JACKSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    private final EventBusSettings.Consumer settings;
    private final StreamJanitor janitor;
    private final Connection publisher;
    private final Connection consumer;
    private final JetStream jetStream;

    RawJetStream(String url, EventBusSettings.Consumer settings, StreamJanitor janitor) throws Exception {
        this.settings = settings;
        this.janitor = janitor;
        this.publisher = Nats.connect(Options.builder().server(url).connectionName("bench-raw-publisher").build());
        this.consumer = Nats.connect(Options.builder().server(url).connectionName("bench-raw-consumer").build());
        this.jetStream = publisher.jetStream();
    }

    /** Header bytes of an event as sent: the library's four headers plus message id and expected stream. */
    static int headerBytes(String stream) {
        String id = new UUID(0, 0).toString();
        return headers(id).put("Nats-Msg-Id", id).put("Nats-Expected-Stream", stream).serializedLength();
    }

    Run publish(int messages, int inFlight, Duration timeout) throws InterruptedException {
        long batch = LibraryBus.newBatch();
        return Load.window(messages, inFlight, timeout, i -> publish(batch, i));
    }

    /** publishAsync of the same number of bytes with no headers and no message id (reference only). */
    Run publishBare(int messages, int inFlight, Duration timeout) throws InterruptedException {
        int bytes = PAYLOAD.length + headerBytes(STREAM);
        return Load.window(messages, inFlight, timeout, i -> jetStream.publishAsync(
                NatsMessage.builder().subject(SUBJECT).data(Arrays.copyOf(PAYLOAD, bytes)).build()));
    }

    /**
     * A new durable reads the stream with {@code consume()}, acking each; timed from its creation, like subscribe.
     * With {@code typed}, each payload is first read into its record with plain Jackson, as the library must.
     */
    Run consume(String durable, int expected, Duration timeout, boolean typed) throws Exception {
        Load.Arrivals counter = new Load.Arrivals(expected);
        long cpu = Figures.ownCpuNanos();
        long started = System.nanoTime();
        try (MessageConsumer running = start(durable, message -> {
            if (typed && PLAIN_JACKSON.readValue(message.getData(), TicketCreated.class) == null) {
                throw new IllegalStateException("no event in " + message);
            }
            message.ack();
            counter.arrived();
        })) {
            double seconds = counter.await(started, timeout, "raw consume " + durable);
            double cpuSeconds = (Figures.ownCpuNanos() - cpu) / 1e9;
            return new Run(expected, seconds, cpuSeconds, janitor.unsettled(STREAM, durable));
        } finally {
            janitor.deleteConsumer(STREAM, durable);
        }
    }

    /** Paced publishes to a fresh durable; the handler reads the event id header (as any raw user would) and acks. */
    Latency latency(Load.LatencyProbe probe, int inFlight, Duration timeout) throws Exception {
        String durable = "bench-raw-latency";
        janitor.purge(STREAM);
        try (MessageConsumer running = start(durable, message -> {
            probe.received(LibraryBus.index(UUID.fromString(message.getHeaders().getFirst(EventHeaders.EVENT_ID))));
            message.ack();
        })) {
            long batch = LibraryBus.newBatch();
            return probe.run(i -> publish(batch, i), inFlight, timeout);
        } finally {
            janitor.deleteConsumer(STREAM, durable);
        }
    }

    /** The library's consumer, spelled out in jnats: same ack policy, limits, batch and expiry. */
    private MessageConsumer start(String durable, MessageHandler handler) throws Exception {
        ConsumerConfiguration configuration = ConsumerConfiguration.builder().durable(durable)
                .filterSubject(SUBJECT).ackPolicy(AckPolicy.Explicit).deliverPolicy(DeliverPolicy.All)
                .ackWait(settings.ackWait()).maxAckPending(settings.maxAckPending()).maxDeliver(-1).build();
        ConsumeOptions options = ConsumeOptions.builder().batchSize(settings.batchSize())
                .expiresIn(Math.max(1000, settings.ackWait().toMillis())).build();
        return consumer.getStreamContext(STREAM).createOrUpdateConsumer(configuration)
                .consume(options, handler);
    }

    /** What a careful jnats user sends for the same event: payload, metadata headers, message id. */
    private CompletableFuture<PublishAck> publish(long batch, int index) {
        String id = new UUID(batch, index).toString();
        return jetStream.publishAsync(NatsMessage.builder().subject(SUBJECT).headers(headers(id)).data(PAYLOAD).build(),
                PublishOptions.builder().messageId(id).expectedStream(STREAM).build());
    }

    private static Headers headers(String id) {
        return new Headers()
                .put(EventHeaders.EVENT_ID, id)
                .put(EventHeaders.EVENT_TYPE, EventType.TICKET_CREATED.subject())
                .put(EventHeaders.SCHEMA_VERSION, Integer.toString(EventType.SCHEMA_VERSION))
                .put(EventHeaders.OCCURRED_AT, Instant.now().toString());
    }

    @Override
    public void close() throws InterruptedException {
        publisher.close();
        consumer.close();
    }
}
