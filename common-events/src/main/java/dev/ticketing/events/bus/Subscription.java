package dev.ticketing.events.bus;

import dev.ticketing.events.EventCodec;
import dev.ticketing.events.EventType;
import dev.ticketing.events.TicketingEvent;
import dev.ticketing.events.bus.BatchEventHandler.Delivery;
import io.nats.client.Connection;
import io.nats.client.ConsumeOptions;
import io.nats.client.JetStream;
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
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A handler attached to its service's shared durable pull consumer for one subject. Every replica of the service
 * attaches to the same durable, so the server hands each event to one of them (the queue group of NATS
 * Streaming). It creates the consumer, hands what it pulls to the handler and closes it gracefully; handlers never
 * touch jnats.
 *
 * <p>One path for every handler: the dispatcher queues the messages it pulls, and each of {@code concurrency}
 * workers takes every message waiting (up to its batch limit) whenever it is free, so batches are one event while
 * the handler keeps up and grow exactly when it falls behind, with no timer adding latency. An {@link EventHandler}
 * is a batch handler of batches of one; with a single worker its events skip the queue and are handled, by the same
 * step, on the dispatcher thread. {@link Settlement} acts on each delivery's {@link Verdict}.
 *
 * <p>A batch handler's early events are held back in the worker for up to {@code not-yet-hold} and offered again
 * with the next batches before they go back to the server: their predecessor is most often being applied by
 * another replica at that moment, and a second look from memory costs far less than a redelivery. While nothing
 * new arrives, held events are looked at again after {@code not-yet-delay}, then less and less often, up to
 * {@code not-yet-max-delay}: a stuck event must not cost a query every few milliseconds.
 *
 * <p>The server may lose the durable (restarted with an empty store, an operator's {@code consumer rm}, the
 * stream re-created): {@link #ensureConsuming} is called after every (re)connect and periodically, checks that
 * the server still has it, and creates it again with the same configuration when it does not. It also keeps
 * track of since when, and why, the subscription is not consuming, for readiness, the gauge and the logs.
 */
public final class Subscription implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Subscription.class);
    private static final int CONSUMER_NOT_FOUND = 10014;
    /** How long an idle worker waits for a message before it looks at the closing flag again. */
    private static final Duration QUEUE_POLL = Duration.ofMillis(100);

    private final EventBusSettings settings;
    private final EventBusSettings.Consumer config;
    private final EventType type;
    private final Class<? extends TicketingEvent> eventClass;
    private final BatchEventHandler<TicketingEvent> handler;
    private final int batchLimit;
    private final Duration hold;
    private final EventCodec codec;
    private final Settlement settlement;
    private final String durableName;
    /** One per worker; a batch in flight holds one, so whoever holds them all knows none is. */
    private final Semaphore slots;
    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    private final BlockingQueue<Message> waiting;
    private final Runnable onClose;
    /** One event at a time, one worker, nothing held: the dispatcher handles each message itself (see dispatch). */
    private final boolean inline;

    private volatile @Nullable MessageConsumer consumer;
    private volatile boolean closing;
    private boolean workersStarted;
    /** Why the subscription is not consuming, or null while it is. */
    private volatile @Nullable String stalledBecause = "not attached yet";
    private volatile long stalledSinceNanos = System.nanoTime();
    private volatile boolean stallReported;
    private volatile boolean everConsumed;

    /**
     * @param batchLimit the most events handed over at once: 1 for an {@link EventHandler}
     * @param hold how long an early event stays in the process for another look: zero for an {@link EventHandler}
     */
    @SuppressWarnings("unchecked")
    Subscription(EventBusSettings settings, Class<? extends TicketingEvent> eventClass,
            BatchEventHandler<? extends TicketingEvent> handler, int batchLimit, Duration hold, EventCodec codec,
            Supplier<@Nullable JetStream> jetStream, BusMetrics metrics, Runnable onClose) {
        this.settings = settings;
        this.config = settings.consumer();
        this.type = EventType.of(eventClass);
        this.eventClass = eventClass;
        this.handler = (BatchEventHandler<TicketingEvent>) handler; // it is only ever given events of its class
        this.batchLimit = batchLimit;
        this.hold = hold;
        this.codec = codec;
        this.settlement = new Settlement(type, settings, jetStream, metrics.forConsumer(type));
        this.durableName = durableName(settings.serviceName(), type);
        this.slots = new Semaphore(config.concurrency());
        // Two batches' worth per worker at most: the workers always find a full batch waiting while the dispatcher
        // fills the next, and events one at a time wait in the pull rather than here, where ack-wait runs on them.
        this.waiting = new ArrayBlockingQueue<>(2 * Math.max(batchLimit, config.concurrency()));
        this.onClose = onClose;
        this.inline = batchLimit == 1 && config.concurrency() == 1 && hold.isZero();
    }

    /** An {@link EventHandler} as a batch handler of batches of one: an exception is that event's failure. */
    static <E extends TicketingEvent> BatchEventHandler<E> oneByOne(EventHandler<? super E> handler) {
        return deliveries -> {
            for (Delivery<E> delivery : deliveries) {
                try {
                    delivery.settle(handler.on(delivery.event(), delivery.metadata()), "by the handler");
                } catch (Exception failure) {
                    if (failure instanceof InterruptedException) {
                        Thread.currentThread().interrupt();
                    }
                    delivery.fail(failure);
                }
            }
        };
    }

    static String durableName(String serviceName, EventType type) {
        return serviceName + "-" + type.subject().replace('.', '-');
    }

    /** The durable consumer's name: service name and subject, never an instance name. */
    public String durableName() {
        return durableName;
    }

    EventType type() {
        return type;
    }

    /** Whether the consumer exists on the server and messages are being pulled. */
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
        if (!workersStarted && !inline) {
            for (int worker = 0; worker < config.concurrency(); worker++) {
                workers.execute(this::work);
            }
            workersStarted = true;
        }
        MessageConsumer created = stream.createOrUpdateConsumer(configuration).consume(options, this::dispatch);
        log.info("Consuming {} with durable {} (batches of up to {}, concurrency {})", type.subject(), durableName,
                batchLimit, config.concurrency());
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

    /**
     * On the dispatcher thread. With one worker handling one event at a time there is no parallelism to gain, and a
     * hand-off to a worker costs more CPU than a no-op handler (measured: 1.7x the CPU per message of handling it
     * here), so the dispatcher handles it, in order, holding the one slot as a worker would. Otherwise it queues the
     * message for the workers.
     */
    private void dispatch(Message message) throws InterruptedException {
        if (!inline) {
            enqueue(message);
            return;
        }
        if (closing || !slots.tryAcquire()) { // closing holds every slot
            message.nak();
            return;
        }
        try {
            handleOne(message);
        } catch (RuntimeException unexpected) {
            log.warn("Event of {} could not be settled; it will be redelivered", type.subject(), unexpected);
        } finally {
            slots.release();
        }
    }

    /** Queues the message for the workers, waiting while the queue is full. */
    private void enqueue(Message message) throws InterruptedException {
        while (!closing) {
            if (waiting.offer(message, QUEUE_POLL.toMillis(), TimeUnit.MILLISECONDS)) {
                return;
            }
        }
        message.nak(); // pulled but never handled: straight back for another replica
    }

    /** One worker, until the subscription closes; it gives back what it holds on the way out. */
    private void work() {
        List<Pending> heldBack = new ArrayList<>();
        long recheckMillis = config.notYetDelay().toMillis();
        try {
            while (!closing) {
                Message first = waiting.poll(heldBack.isEmpty() ? QUEUE_POLL.toMillis() : recheckMillis, TimeUnit.MILLISECONDS);
                if (first == null && heldBack.isEmpty()) {
                    continue;
                }
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
                        waiting.drainTo(fresh, Math.max(0, batchLimit - heldBack.size() - 1));
                    }
                    heldBack = handle(heldBack, fresh);
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

    /** {@link #handle} for a batch of one fresh message that is never held back, without its lists (the inline path). */
    private void handleOne(Message message) {
        Delivery<TicketingEvent> delivery;
        try {
            delivery = new Delivery<>(codec.decode(message.getData(), eventClass), settlement.metadata(message));
        } catch (RuntimeException malformed) {
            settlement.malformed(message, malformed);
            return;
        }
        long started = System.nanoTime();
        try {
            handler.on(List.of(delivery));
        } catch (Exception failure) {
            if (failure instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            delivery.fail(failure);
        }
        settlement.settle(message, delivery, System.nanoTime() - started);
    }

    /** Handles one batch: the events held back first, then the fresh ones. Returns the events to hold back now. */
    private List<Pending> handle(List<Pending> heldBack, List<Message> fresh) {
        List<Pending> batch = new ArrayList<>(heldBack.size() + fresh.size());
        batch.addAll(heldBack);
        long now = System.nanoTime();
        for (Message message : fresh) {
            try {
                batch.add(new Pending(message, codec.decode(message.getData(), eventClass), settlement.metadata(message), now));
            } catch (RuntimeException malformed) {
                settlement.malformed(message, malformed);
            }
        }
        if (batch.isEmpty()) {
            return List.of();
        }
        List<Delivery<TicketingEvent>> deliveries = new ArrayList<>(batch.size());
        for (Pending each : batch) {
            deliveries.add(new Delivery<>(each.event(), each.metadata()));
        }
        long started = System.nanoTime();
        try {
            handler.on(Collections.unmodifiableList(deliveries));
        } catch (Exception failure) {
            if (failure instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            deliveries.forEach(each -> each.fail(failure));
        }
        long finished = System.nanoTime();
        // The handler's time is shared out evenly: the timer stays a per-event figure whatever the batch size.
        long nanosPerEvent = (finished - started) / deliveries.size();
        List<Pending> stillEarly = new ArrayList<>();
        for (int i = 0; i < deliveries.size(); i++) {
            Pending each = batch.get(i);
            if (deliveries.get(i).verdict() == Verdict.NOT_YET && !closing && finished - each.since() < hold.toNanos()) {
                settlement.heldBack(nanosPerEvent);
                stillEarly.add(each);
            } else {
                settlement.settle(each.message(), deliveries.get(i), nanosPerEvent);
            }
        }
        return stillEarly;
    }

    /**
     * Stops pulling, lets the handlers in flight finish and settle their messages, gives back what was pulled but
     * not started, and leaves the durable consumer on the server so that another instance, or this one after a
     * restart, resumes from it.
     */
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
            // Holding every slot means no batch is in flight: each finished and settled its messages.
            if (!slots.tryAcquire(config.concurrency(), settings.shutdownTimeout().toNanos(), TimeUnit.NANOSECONDS)) {
                log.warn("Handlers of {} still running after {}; their events will be redelivered",
                        type.subject(), settings.shutdownTimeout());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        workers.shutdown();
        try {
            // Workers give their held-back events back on the way out; let them, before the connection goes.
            workers.awaitTermination(QUEUE_POLL.multipliedBy(5).toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (current != null) {
            try {
                current.close();
            } catch (Exception e) {
                log.debug("Closing consumer {}", durableName, e);
            }
        }
        // Whatever is still queued will never start: straight back (one queued after this returns after ack-wait).
        List<Message> unhandled = new ArrayList<>();
        waiting.drainTo(unhandled);
        unhandled.forEach(Message::nak);
        onClose.run();
        log.info("Stopped consuming {} ({} ms)", type.subject(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }

    /** A message, decoded; {@code since} is when this process first offered it to the handler. */
    private record Pending(Message message, TicketingEvent event, EventMetadata metadata, long since) {
    }
}
