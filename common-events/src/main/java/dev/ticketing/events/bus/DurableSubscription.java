package dev.ticketing.events.bus;

import dev.ticketing.events.EventCodec;
import dev.ticketing.events.EventType;
import dev.ticketing.events.TicketingEvent;
import io.nats.client.ConsumeOptions;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.Message;
import io.nats.client.MessageConsumer;
import io.nats.client.StreamContext;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.DeliverPolicy;
import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
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
 * Streaming). It creates the consumer, dispatches what it pulls and closes it gracefully; handlers never touch
 * jnats.
 *
 * <p>An {@link EventHandler} gets one event at a time, on up to {@code concurrency} virtual threads (on the
 * dispatcher thread itself when that is 1). A {@link BatchEventHandler} gets whatever has arrived, from
 * {@code concurrency} {@link BatchWorkers}. Either way, {@link Settlement} acks, gives back or parks each message.
 *
 * <p>The server may lose the durable (restarted with an empty store, an operator's {@code consumer rm}, the
 * stream re-created): {@link #ensureConsuming} is called after every (re)connect and periodically, checks that
 * the server still has it, and creates it again with the same configuration when it does not. It also keeps
 * track of since when, and why, the subscription is not consuming, for readiness, the gauge and the logs.
 */
final class DurableSubscription<E extends TicketingEvent> implements Subscription {

    private static final Logger log = LoggerFactory.getLogger(DurableSubscription.class);
    private static final int CONSUMER_NOT_FOUND = 10014;

    private final EventBusSettings settings;
    private final EventBusSettings.Consumer config;
    private final EventType type;
    private final Class<E> eventClass;
    private final @Nullable EventHandler<? super E> handler;
    private final @Nullable BatchWorkers<E> batches;
    private final EventCodec codec;
    private final Settlement settlement;
    private final String durableName;
    private final Semaphore slots;
    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    private final Runnable onClose;

    private volatile @Nullable MessageConsumer consumer;
    private volatile boolean closing;
    private boolean workersStarted;
    /** Why the subscription is not consuming, or null while it is. */
    private volatile @Nullable String stalledBecause = "not attached yet";
    private volatile long stalledSinceNanos = System.nanoTime();
    private volatile boolean stallReported;
    private volatile boolean everConsumed;

    static <E extends TicketingEvent> DurableSubscription<E> ofEvents(EventBusSettings settings, Class<E> eventClass,
            EventHandler<? super E> handler, EventCodec codec, DeadLetterParking deadLetters, BusMetrics metrics,
            Runnable onClose) {
        return new DurableSubscription<>(settings, eventClass, handler, null, codec, deadLetters, metrics, onClose);
    }

    static <E extends TicketingEvent> DurableSubscription<E> ofBatches(EventBusSettings settings, Class<E> eventClass,
            BatchEventHandler<E> handler, EventCodec codec, DeadLetterParking deadLetters, BusMetrics metrics,
            Runnable onClose) {
        return new DurableSubscription<>(settings, eventClass, null, handler, codec, deadLetters, metrics, onClose);
    }

    private DurableSubscription(EventBusSettings settings, Class<E> eventClass, @Nullable EventHandler<? super E> handler,
            @Nullable BatchEventHandler<E> batchHandler, EventCodec codec, DeadLetterParking deadLetters,
            BusMetrics metrics, Runnable onClose) {
        this.onClose = onClose;
        this.settings = settings;
        this.config = settings.consumer();
        this.type = EventType.of(eventClass);
        this.eventClass = eventClass;
        this.handler = handler;
        this.codec = codec;
        this.settlement = new Settlement(type, config, deadLetters, metrics.forConsumer(type));
        this.durableName = durableName(settings.serviceName(), type);
        this.slots = new Semaphore(config.concurrency());
        this.batches = batchHandler == null ? null
                : new BatchWorkers<>(eventClass, batchHandler, codec, config, settlement, slots, () -> closing);
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
        return stalledBecause == null;
    }

    /** Whether it has not been consuming for longer than {@code patience}, or never has. */
    boolean stalledLongerThan(Duration patience) {
        return stalledBecause != null && (!everConsumed || System.nanoTime() - stalledSinceNanos > patience.toNanos());
    }

    /** Why it is not consuming, or null while it is. */
    @Nullable
    String stalledBecause() {
        return stalledBecause;
    }

    /**
     * Makes sure the server has the durable consumer and this process pulls from it: creates it (or updates its
     * configuration) on the first call, and again whenever the server no longer has it. Throws when the server
     * cannot be asked or refuses; the subscription then stays marked as not consuming, with the reason.
     */
    synchronized void ensureConsuming(Connection connection) throws IOException, JetStreamApiException {
        if (closing) {
            return;
        }
        MessageConsumer current = consumer;
        if (current != null && !current.isStopped() && durableExists(connection.jetStreamManagement())) {
            consuming();
            return;
        }
        if (current != null) {
            notConsuming("durable " + durableName + " is gone from the server or is not ours any more");
            discard(current);
            consumer = null;
        }
        try {
            consumer = consume(connection);
        } catch (IOException | JetStreamApiException | RuntimeException e) {
            notConsuming(e.getMessage() == null ? e.toString() : e.getMessage());
            throw e;
        }
        consuming();
    }

    private MessageConsumer consume(Connection connection) throws IOException, JetStreamApiException {
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
        BatchWorkers<E> batchMode = batches;
        if (batchMode != null && !workersStarted) {
            for (int worker = 0; worker < config.concurrency(); worker++) {
                workers.execute(batchMode::work);
            }
            workersStarted = true;
        }
        MessageConsumer created = stream.createOrUpdateConsumer(configuration)
                .consume(options, batchMode == null ? this::dispatch : batchMode::enqueue);
        log.info("Consuming {} with durable {} ({}concurrency {})", type.subject(), durableName,
                batchMode == null ? "" : "batches of up to " + config.batchSize() + ", ", config.concurrency());
        return created;
    }

    /** Whether the server has this durable as it was made: a pull consumer filtering on the subject. */
    private boolean durableExists(JetStreamManagement jsm) throws IOException, JetStreamApiException {
        ConsumerConfiguration found;
        try {
            found = jsm.getConsumerInfo(settings.stream().name(), durableName).getConsumerConfiguration();
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() == CONSUMER_NOT_FOUND || e.getApiErrorCode() == StreamProvisioner.STREAM_NOT_FOUND) {
                return false;
            }
            throw e;
        }
        // Someone else's consumer under this name (push, another filter) would never hand us a message.
        return found.getDeliverSubject() == null && type.subject().equals(found.getFilterSubject());
    }

    /** The connection is gone or the server lost the durable: note since when and why. */
    void notConsuming(String reason) {
        if (stalledBecause == null) {
            stalledSinceNanos = System.nanoTime();
            stallReported = false;
        }
        stalledBecause = reason;
    }

    private void consuming() {
        String was = stalledBecause;
        if (was != null && stallReported) {
            log.info("Durable {} is consuming {} again after {} s (it had stopped: {})", durableName, type.subject(),
                    TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - stalledSinceNanos), was);
        }
        stalledBecause = null;
        stallReported = false;
        everConsumed = true;
    }

    /** Logs once, as an error, a subscription that has not been consuming for longer than {@code patience}. */
    void reportStall(Duration patience) {
        String reason = stalledBecause;
        if (reason != null && !stallReported && !closing
                && System.nanoTime() - stalledSinceNanos > patience.toNanos()) {
            stallReported = true;
            log.error("Durable {} has not been consuming {} for {} s: {}", durableName, type.subject(),
                    TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - stalledSinceNanos), reason);
        }
    }

    private void discard(MessageConsumer stale) {
        try {
            stale.stop();
            stale.close();
        } catch (Exception e) {
            log.debug("Closing the stale consumer of {}", durableName, e);
        }
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
        E event;
        EventMetadata metadata;
        try {
            event = codec.decode(message.getData(), eventClass);
            metadata = settlement.metadata(message);
        } catch (RuntimeException malformed) {
            settlement.malformed(message, malformed);
            return;
        }
        long started = System.nanoTime();
        try {
            Objects.requireNonNull(handler).on(event, metadata);
            settlement.acknowledge(message, System.nanoTime() - started);
        } catch (NotYet early) {
            settlement.notYet(message, metadata, early, System.nanoTime() - started);
        } catch (Exception failure) {
            if (failure instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            settlement.retry(message, metadata, failure, System.nanoTime() - started);
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
            // Holding every slot means no handler (or batch) is in flight: each finished and settled its messages.
            if (!slots.tryAcquire(config.concurrency(), settings.shutdownTimeout().toNanos(), TimeUnit.NANOSECONDS)) {
                log.warn("Handlers of {} still running after {}; their events will be redelivered",
                        type.subject(), settings.shutdownTimeout());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        workers.shutdown();
        if (batches != null) {
            try {
                // Batch workers give their held-back events back on the way out; let them, before the connection goes.
                workers.awaitTermination(BatchWorkers.QUEUE_POLL.multipliedBy(5).toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (current != null) {
            try {
                current.close();
            } catch (Exception e) {
                log.debug("Closing consumer {}", durableName, e);
            }
        }
        if (batches != null) {
            batches.giveBackQueued();
        }
        onClose.run();
        log.info("Stopped consuming {} ({} ms)", type.subject(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }
}
