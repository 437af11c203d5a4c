package dev.ticketing.events.bus;

import dev.ticketing.events.EventCodec;
import dev.ticketing.events.EventHeaders;
import dev.ticketing.events.EventType;
import dev.ticketing.events.TicketingEvent;
import io.nats.client.ConsumeOptions;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.Message;
import io.nats.client.MessageConsumer;
import io.nats.client.StreamContext;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.impl.NatsJetStreamMetaData;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One handler on its service's shared durable pull consumer for one subject. Every replica of the service
 * attaches to the same durable, so the server hands each event to one of them (the queue group of NATS
 * Streaming). All outcome handling lives here, so handlers never touch jnats.
 */
final class DurableSubscription<E extends TicketingEvent> implements Subscription {

    private static final Logger log = LoggerFactory.getLogger(DurableSubscription.class);

    private final EventBusSettings settings;
    private final EventBusSettings.Consumer config;
    private final EventType type;
    private final Class<E> eventClass;
    private final EventHandler<? super E> handler;
    private final EventCodec codec;
    private final DeadLetterParking deadLetters;
    private final BusMetrics.Consumption metrics;
    private final String durableName;
    private final Semaphore slots;
    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    private final Runnable onClose;

    private volatile @Nullable MessageConsumer consumer;
    private volatile boolean closing;

    DurableSubscription(EventBusSettings settings, Class<E> eventClass, EventHandler<? super E> handler,
            EventCodec codec, DeadLetterParking deadLetters, BusMetrics metrics, Runnable onClose) {
        this.onClose = onClose;
        this.settings = settings;
        this.config = settings.consumer();
        this.type = EventType.of(eventClass);
        this.eventClass = eventClass;
        this.handler = handler;
        this.codec = codec;
        this.deadLetters = deadLetters;
        this.metrics = metrics.forConsumer(type);
        this.durableName = durableName(settings.serviceName(), type);
        this.slots = new Semaphore(config.concurrency());
    }

    static String durableName(String serviceName, EventType type) {
        return serviceName + "-" + type.subject().replace('.', '-');
    }

    @Override
    public String durableName() {
        return durableName;
    }

    EventType type() {
        return type;
    }

    @Override
    public boolean isActive() {
        MessageConsumer current = consumer;
        return current != null && !current.isStopped();
    }

    /** Creates (or updates) the durable consumer and starts pulling; does nothing once started or closing. */
    synchronized void start(Connection connection) throws IOException, JetStreamApiException {
        if (consumer != null || closing) {
            return;
        }
        StreamContext stream = connection.getStreamContext(settings.stream().name());
        ConsumerConfiguration configuration = ConsumerConfiguration.builder()
                .durable(durableName)
                .filterSubject(type.subject())
                .ackPolicy(AckPolicy.Explicit)
                .deliverPolicy(DeliverPolicy.All)
                .ackWait(config.ackWait())
                .maxAckPending(config.maxAckPending())
                // Redelivery limits are enforced here, where failures and early events can be told apart.
                .maxDeliver(-1)
                .description("Ticketing " + settings.serviceName() + " handler of " + type.subject())
                .build();
        ConsumeOptions options = ConsumeOptions.builder()
                .batchSize(config.batchSize())
                .expiresIn(Math.max(1000, config.ackWait().toMillis()))
                .build();
        consumer = stream.createOrUpdateConsumer(configuration).consume(options, this::dispatch);
        log.info("Consuming {} with durable {} (concurrency {})", type.subject(), durableName, config.concurrency());
    }

    private void dispatch(Message message) throws InterruptedException {
        if (closing) {
            // Pulled but not started before shutdown: hand it straight back for another replica.
            message.nak();
            return;
        }
        slots.acquire(); // back-pressure: the dispatcher waits while every slot is busy
        if (config.concurrency() == 1) {
            // In order, on the dispatcher thread: no hand-off cost when there is no parallelism to gain.
            try {
                handle(message);
            } finally {
                slots.release();
            }
            return;
        }
        try {
            workers.execute(() -> {
                try {
                    handle(message);
                } finally {
                    slots.release();
                }
            });
        } catch (RuntimeException rejected) {
            slots.release();
            message.nak();
        }
    }

    private void handle(Message message) {
        NatsJetStreamMetaData delivery = message.metaData();
        long deliveries = delivery.deliveredCount();
        if (deliveries > 1) {
            metrics.redelivered();
        }
        E event;
        EventMetadata metadata;
        try {
            event = codec.decode(message.getData(), eventClass);
            metadata = metadata(message, delivery);
        } catch (RuntimeException malformed) {
            // No delivery can make a malformed message readable: park it at once.
            park(message, "malformed", malformed);
            return;
        }
        long started = System.nanoTime();
        try {
            handler.on(event, metadata);
            message.ack();
            metrics.handled(BusMetrics.Outcome.ACKED, System.nanoTime() - started);
        } catch (NotYet early) {
            metrics.handled(BusMetrics.Outcome.NOT_YET, System.nanoTime() - started);
            if (deliveries >= config.notYetMaxDeliveries()) {
                park(message, "still early after " + deliveries + " deliveries", early);
            } else {
                Duration delay = EventBusSettings.Consumer.backoff(config.notYetDelay(), config.notYetMaxDelay(), deliveries);
                log.debug("{} {} is early ({}); redelivering in {}", type.subject(), metadata.eventId(), early.getMessage(), delay);
                message.nakWithDelay(delay);
            }
        } catch (Exception failure) {
            metrics.handled(BusMetrics.Outcome.FAILED, System.nanoTime() - started);
            if (failure instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            if (deliveries >= config.maxDeliver()) {
                park(message, "handler failed " + deliveries + " times", failure);
            } else {
                Duration delay = EventBusSettings.Consumer.backoff(config.retryDelay(), config.retryMaxDelay(), deliveries);
                log.warn("Handler of {} {} failed (delivery {} of {}); redelivering in {}", type.subject(),
                        metadata.eventId(), deliveries, config.maxDeliver(), delay, failure);
                message.nakWithDelay(delay);
            }
        }
    }

    private void park(Message message, String reason, Throwable error) {
        if (deadLetters.park(message, reason, error)) {
            metrics.deadLettered();
        } else {
            message.nakWithDelay(config.retryMaxDelay());
        }
    }

    private EventMetadata metadata(Message message, NatsJetStreamMetaData delivery) {
        String eventId = message.hasHeaders() ? message.getHeaders().getFirst(EventHeaders.EVENT_ID) : null;
        String schema = message.hasHeaders() ? message.getHeaders().getFirst(EventHeaders.SCHEMA_VERSION) : null;
        String occurred = message.hasHeaders() ? message.getHeaders().getFirst(EventHeaders.OCCURRED_AT) : null;
        try {
            return new EventMetadata(
                    eventId == null ? new UUID(0, delivery.streamSequence()) : UUID.fromString(eventId),
                    type,
                    schema == null ? EventType.SCHEMA_VERSION : Integer.parseInt(schema),
                    occurred == null ? () -> delivery.timestamp().toInstant() : () -> Instant.parse(occurred),
                    delivery.deliveredCount(),
                    delivery.streamSequence());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Malformed event headers: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closing) {
                return;
            }
            closing = true;
        }
        MessageConsumer current = consumer;
        if (current != null) {
            current.stop();
        }
        long started = System.nanoTime();
        try {
            // Holding every slot means no handler is in flight: each finished and settled its message.
            if (!slots.tryAcquire(config.concurrency(), settings.shutdownTimeout().toNanos(), TimeUnit.NANOSECONDS)) {
                log.warn("Handlers of {} still running after {}; their events will be redelivered",
                        type.subject(), settings.shutdownTimeout());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        workers.shutdown();
        if (current != null) {
            try {
                current.close();
            } catch (Exception e) {
                log.debug("Closing consumer {}", durableName, e);
            }
        }
        onClose.run();
        log.info("Stopped consuming {} ({} ms)", type.subject(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }
}
