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
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
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
 *
 * <p>An {@link EventHandler} gets one event at a time, on up to {@code concurrency} virtual threads (on the
 * dispatcher thread itself when that is 1). A {@link BatchEventHandler} gets whatever has arrived: the
 * dispatcher queues messages, and each of {@code concurrency} workers takes all that are waiting (up to
 * {@code batch-size}) whenever it is free, so batches grow exactly when the handler falls behind. A batch
 * handler's early events are held back in the worker for up to {@code not-yet-hold} and offered again with the
 * next batches before they go back to the server: their predecessor is most often being applied by another
 * replica right then, and a local second look costs far less than a redelivery.
 */
final class DurableSubscription<E extends TicketingEvent> implements Subscription {

    private static final Logger log = LoggerFactory.getLogger(DurableSubscription.class);
    /** How often a waiting batch worker or a dispatcher blocked on a full queue looks whether it is closing. */
    private static final Duration QUEUE_POLL = Duration.ofMillis(100);

    private final EventBusSettings settings;
    private final EventBusSettings.Consumer config;
    private final EventType type;
    private final Class<E> eventClass;
    private final @Nullable EventHandler<? super E> handler;
    private final @Nullable BatchEventHandler<E> batchHandler;
    private final @Nullable BlockingQueue<Message> waiting;
    private final EventCodec codec;
    private final DeadLetterParking deadLetters;
    private final BusMetrics.Consumption metrics;
    private final String durableName;
    private final Semaphore slots;
    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    private final Runnable onClose;

    private volatile @Nullable MessageConsumer consumer;
    private volatile boolean closing;

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
        this.batchHandler = batchHandler;
        // Two pulls' worth: the workers always find a full batch waiting while the dispatcher fills the next.
        this.waiting = batchHandler == null ? null : new ArrayBlockingQueue<>(2 * config.batchSize());
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
        if (waiting != null) {
            for (int worker = 0; worker < config.concurrency(); worker++) {
                workers.execute(this::handleBatches);
            }
        }
        consumer = stream.createOrUpdateConsumer(configuration)
                .consume(options, waiting == null ? this::dispatch : this::enqueue);
        log.info("Consuming {} with durable {} ({}concurrency {})", type.subject(), durableName,
                waiting == null ? "" : "batches of up to " + config.batchSize() + ", ", config.concurrency());
    }

    /** Batch mode, on the dispatcher thread: queue the message for the workers; wait while the queue is full. */
    private void enqueue(Message message) throws InterruptedException {
        BlockingQueue<Message> queue = Objects.requireNonNull(waiting);
        while (!closing) {
            if (queue.offer(message, QUEUE_POLL.toMillis(), TimeUnit.MILLISECONDS)) {
                return;
            }
        }
        message.nak(); // pulled but never handled: straight back for another replica
    }

    /**
     * One batch worker: takes every waiting message (up to a batch) whenever it is free, until closing. Early
     * events it holds back (see {@code not-yet-hold}) join each following batch; when nothing new arrives they
     * are offered again after {@code not-yet-delay}, then less and less often, up to {@code not-yet-max-delay}.
     */
    private void handleBatches() {
        BlockingQueue<Message> queue = Objects.requireNonNull(waiting);
        List<HeldBack<E>> heldBack = new ArrayList<>();
        long recheckMillis = config.notYetDelay().toMillis();
        try {
            while (!closing) {
                Message first = queue.poll(heldBack.isEmpty() ? QUEUE_POLL.toMillis() : recheckMillis, TimeUnit.MILLISECONDS);
                if (first == null && heldBack.isEmpty()) {
                    continue;
                }
                // Held events alone are looked at again after not-yet-delay, doubling up to not-yet-max-delay while
                // nothing new arrives: a stuck event must not cost a query every few milliseconds.
                recheckMillis = first != null ? config.notYetDelay().toMillis()
                        : Math.min(recheckMillis * 2, config.notYetMaxDelay().toMillis());
                if (!slots.tryAcquire()) {
                    // Closing holds every slot: give the message back instead of starting a batch.
                    if (first != null) {
                        first.nak();
                    }
                    continue;
                }
                try {
                    List<Message> fresh = new ArrayList<>();
                    if (first != null) {
                        fresh.add(first);
                        queue.drainTo(fresh, Math.max(0, config.batchSize() - heldBack.size() - 1));
                    }
                    heldBack = handleBatch(heldBack, fresh);
                } catch (RuntimeException unexpected) {
                    // Settling failed (the connection went away mid-batch): unacked messages come back after ack-wait.
                    log.warn("Batch of {} could not be settled; its events will be redelivered", type.subject(), unexpected);
                } finally {
                    slots.release();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            heldBack.forEach(held -> held.message().nak()); // straight back for another replica
        }
    }

    /** Handles one batch: the events held back first, then the fresh ones. Returns the events to hold back now. */
    private List<HeldBack<E>> handleBatch(List<HeldBack<E>> heldBack, List<Message> fresh) {
        BatchEventHandler<E> batches = Objects.requireNonNull(batchHandler);
        List<HeldBack<E>> batch = new ArrayList<>(heldBack.size() + fresh.size());
        batch.addAll(heldBack);
        long now = System.nanoTime();
        for (Message message : fresh) {
            NatsJetStreamMetaData delivery = message.metaData();
            if (delivery.deliveredCount() > 1) {
                metrics.redelivered();
            }
            try {
                batch.add(new HeldBack<>(message, codec.decode(message.getData(), eventClass), metadata(message, delivery), now));
            } catch (RuntimeException malformed) {
                park(message, "malformed", malformed);
            }
        }
        if (batch.isEmpty()) {
            return List.of();
        }
        List<Delivery<E>> deliveries = new ArrayList<>(batch.size());
        for (HeldBack<E> each : batch) {
            deliveries.add(new Delivery<>(each.event(), each.metadata()));
        }
        long started = System.nanoTime();
        try {
            batches.on(Collections.unmodifiableList(deliveries));
        } catch (NotYet early) {
            deliveries.forEach(each -> each.mark(Delivery.Verdict.NOT_YET, early));
        } catch (Exception failure) {
            if (failure instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            deliveries.forEach(each -> each.mark(Delivery.Verdict.RETRY, failure));
        }
        long finished = System.nanoTime();
        // The handler's time is shared out evenly: the timer stays a per-event figure in both modes.
        long nanosPerEvent = (finished - started) / deliveries.size();
        List<HeldBack<E>> stillEarly = new ArrayList<>();
        for (int i = 0; i < deliveries.size(); i++) {
            Delivery<E> delivery = deliveries.get(i);
            HeldBack<E> each = batch.get(i);
            switch (delivery.verdict()) {
                case ACK -> acknowledge(each.message(), nanosPerEvent);
                case NOT_YET -> {
                    if (!closing && finished - each.since() < config.notYetHold().toNanos()) {
                        metrics.handled(BusMetrics.Outcome.NOT_YET, nanosPerEvent);
                        stillEarly.add(each);
                    } else {
                        notYet(each.message(), each.metadata(), (NotYet) Objects.requireNonNull(delivery.cause()),
                                nanosPerEvent);
                    }
                }
                case RETRY -> retry(each.message(), each.metadata(), Objects.requireNonNull(delivery.cause()), nanosPerEvent);
            }
        }
        return stillEarly;
    }

    /** A message of a batch, decoded; {@code since} is when this process first offered it to the handler. */
    private record HeldBack<E>(Message message, E event, EventMetadata metadata, long since) {
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
            Objects.requireNonNull(handler).on(event, metadata);
            acknowledge(message, System.nanoTime() - started);
        } catch (NotYet early) {
            notYet(message, metadata, early, System.nanoTime() - started);
        } catch (Exception failure) {
            if (failure instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            retry(message, metadata, failure, System.nanoTime() - started);
        }
    }

    private void acknowledge(Message message, long handlerNanos) {
        message.ack();
        metrics.handled(BusMetrics.Outcome.ACKED, handlerNanos);
    }

    private void notYet(Message message, EventMetadata metadata, NotYet early, long handlerNanos) {
        metrics.handled(BusMetrics.Outcome.NOT_YET, handlerNanos);
        long deliveries = metadata.deliveryCount();
        if (deliveries >= config.notYetMaxDeliveries()) {
            park(message, "still early after " + deliveries + " deliveries", early);
        } else {
            Duration delay = EventBusSettings.Consumer.backoff(config.notYetDelay(), config.notYetMaxDelay(), deliveries);
            log.debug("{} {} is early ({}); redelivering in {}", type.subject(), metadata.eventId(), early.getMessage(), delay);
            message.nakWithDelay(delay);
        }
    }

    private void retry(Message message, EventMetadata metadata, Exception failure, long handlerNanos) {
        metrics.handled(BusMetrics.Outcome.FAILED, handlerNanos);
        long deliveries = metadata.deliveryCount();
        if (ResourceFailures.isUnavailable(failure)) {
            // Its database is down, not the event bad: keep it on the server, without limit, until it is back.
            Duration delay = EventBusSettings.Consumer.backoff(config.retryDelay(), config.retryMaxDelay(), deliveries);
            log.warn("Handler of {} {} cannot reach its resource (delivery {}): {}; redelivering in {}, without limit",
                    type.subject(), metadata.eventId(), deliveries, failure.toString(), delay);
            message.nakWithDelay(delay);
        } else if (deliveries >= config.maxDeliver()) {
            park(message, "handler failed " + deliveries + " times", failure);
        } else {
            Duration delay = EventBusSettings.Consumer.backoff(config.retryDelay(), config.retryMaxDelay(), deliveries);
            log.warn("Handler of {} {} failed (delivery {} of {}); redelivering in {}", type.subject(),
                    metadata.eventId(), deliveries, config.maxDeliver(), delay, failure);
            message.nakWithDelay(delay);
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
            // Holding every slot means no handler (or batch) is in flight: each finished and settled its messages.
            if (!slots.tryAcquire(config.concurrency(), settings.shutdownTimeout().toNanos(), TimeUnit.NANOSECONDS)) {
                log.warn("Handlers of {} still running after {}; their events will be redelivered",
                        type.subject(), settings.shutdownTimeout());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        workers.shutdown();
        if (waiting != null) {
            try {
                // Batch workers give their held-back events back on the way out; let them, before the connection goes.
                workers.awaitTermination(QUEUE_POLL.multipliedBy(5).toMillis(), TimeUnit.MILLISECONDS);
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
        if (waiting != null) {
            // Queued for a batch that will never start: straight back for another replica. (One the dispatcher
            // queues after this comes back when its ack-wait ends.)
            List<Message> unhandled = new ArrayList<>();
            waiting.drainTo(unhandled);
            unhandled.forEach(Message::nak);
        }
        onClose.run();
        log.info("Stopped consuming {} ({} ms)", type.subject(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }
}
