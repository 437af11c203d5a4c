package dev.ticketing.events.bus;

import dev.ticketing.events.EventCodec;
import dev.ticketing.events.EventType;
import dev.ticketing.events.TicketingEvent;
import io.nats.client.Message;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The batch mode of a subscription ({@link BatchEventHandler}). The dispatcher queues the messages it pulls;
 * each worker takes every message waiting (up to {@code batch-size}) whenever it is free, so batches are one
 * event while the handler keeps up and grow exactly when it falls behind, with no timer adding latency.
 *
 * <p>Early events are held back in the worker for up to {@code not-yet-hold} and offered again with the next
 * batches before they go back to the server: their predecessor is most often being applied by another replica
 * at that moment, and a second look from memory costs far less than a redelivery. While nothing new arrives,
 * held events are looked at again after {@code not-yet-delay}, then less and less often, up to
 * {@code not-yet-max-delay}: a stuck event must not cost a query every few milliseconds.
 */
final class BatchWorkers<E extends TicketingEvent> {

    private static final Logger log = LoggerFactory.getLogger(BatchWorkers.class);
    /** How often a waiting worker, or a dispatcher blocked on a full queue, looks whether it is closing. */
    static final Duration QUEUE_POLL = Duration.ofMillis(100);

    private final EventType type;
    private final Class<E> eventClass;
    private final BatchEventHandler<E> handler;
    private final EventCodec codec;
    private final EventBusSettings.Consumer config;
    private final Settlement settlement;
    private final Semaphore slots;
    private final BooleanSupplier closing;
    private final BlockingQueue<Message> waiting;

    /**
     * @param slots one per worker; a batch in flight holds one, so whoever holds them all knows none is
     * @param closing true once the subscription closes: workers stop taking batches and give messages back
     */
    BatchWorkers(Class<E> eventClass, BatchEventHandler<E> handler, EventCodec codec, EventBusSettings.Consumer config,
            Settlement settlement, Semaphore slots, BooleanSupplier closing) {
        this.type = EventType.of(eventClass);
        this.eventClass = eventClass;
        this.handler = handler;
        this.codec = codec;
        this.config = config;
        this.settlement = settlement;
        this.slots = slots;
        this.closing = closing;
        // Two pulls' worth: the workers always find a full batch waiting while the dispatcher fills the next.
        this.waiting = new ArrayBlockingQueue<>(2 * config.batchSize());
    }

    /** On the dispatcher thread: queues the message for the workers, waiting while the queue is full. */
    void enqueue(Message message) throws InterruptedException {
        while (!closing.getAsBoolean()) {
            if (waiting.offer(message, QUEUE_POLL.toMillis(), TimeUnit.MILLISECONDS)) {
                return;
            }
        }
        message.nak(); // pulled but never handled: straight back for another replica
    }

    /** One worker, until the subscription closes; it gives back what it holds on the way out. */
    void work() {
        List<HeldBack<E>> heldBack = new ArrayList<>();
        long recheckMillis = config.notYetDelay().toMillis();
        try {
            while (!closing.getAsBoolean()) {
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
                        waiting.drainTo(fresh, Math.max(0, config.batchSize() - heldBack.size() - 1));
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

    /**
     * Gives back every message still queued for a batch that will never start. (One the dispatcher queues after
     * this comes back when its ack-wait ends.)
     */
    void giveBackQueued() {
        List<Message> unhandled = new ArrayList<>();
        waiting.drainTo(unhandled);
        unhandled.forEach(Message::nak);
    }

    /** Handles one batch: the events held back first, then the fresh ones. Returns the events to hold back now. */
    private List<HeldBack<E>> handle(List<HeldBack<E>> heldBack, List<Message> fresh) {
        List<HeldBack<E>> batch = new ArrayList<>(heldBack.size() + fresh.size());
        batch.addAll(heldBack);
        long now = System.nanoTime();
        for (Message message : fresh) {
            try {
                batch.add(new HeldBack<>(message, codec.decode(message.getData(), eventClass), settlement.metadata(message), now));
            } catch (RuntimeException malformed) {
                settlement.malformed(message, malformed);
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
            handler.on(Collections.unmodifiableList(deliveries));
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
                case ACK -> settlement.acknowledge(each.message(), nanosPerEvent);
                case NOT_YET -> {
                    if (!closing.getAsBoolean() && finished - each.since() < config.notYetHold().toNanos()) {
                        settlement.heldBack(nanosPerEvent);
                        stillEarly.add(each);
                    } else {
                        settlement.notYet(each.message(), each.metadata(), (NotYet) Objects.requireNonNull(delivery.cause()),
                                nanosPerEvent);
                    }
                }
                case RETRY -> settlement.retry(each.message(), each.metadata(), Objects.requireNonNull(delivery.cause()),
                        nanosPerEvent);
            }
        }
        return stillEarly;
    }

    /** A message of a batch, decoded; {@code since} is when this process first offered it to the handler. */
    private record HeldBack<E>(Message message, E event, EventMetadata metadata, long since) {
    }
}
