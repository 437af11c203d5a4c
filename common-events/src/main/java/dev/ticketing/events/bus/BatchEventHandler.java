package dev.ticketing.events.bus;

import dev.ticketing.events.TicketingEvent;
import java.util.List;

/**
 * Reacts to the events of one type that have arrived together, at most {@code ticketing.nats.consumer.batch-size}
 * at once, in the order the bus delivered them. For handlers whose cost is mostly one round trip to their
 * database: a batch lets them write once for many events (the orders-service replica merges consecutive
 * versions of a ticket and sends one bulk write per batch).
 *
 * <p>Every delivery the handler leaves alone is acknowledged when {@code on} returns. Mark a delivery with
 * {@link Delivery#notYet(String)} when its event arrived before its predecessor: it is held in the process and
 * offered again with the next batches for up to {@code not-yet-hold}, then given back to the server like an
 * {@link EventHandler}'s {@link NotYet}. Mark it with {@link Delivery#retry(Exception)} when it failed: it is
 * redelivered with backoff and parked after {@code max-deliver} (never while its database is unreachable). If
 * {@code on} throws, every delivery not yet marked is retried ({@link NotYet} marks them all "not yet").
 * Handlers must be idempotent: an event can be delivered more than once, in the same batch or a later one.
 *
 * <p>In a Spring application every bean of type {@code BatchEventHandler<SomeEvent>} is subscribed on start,
 * like an {@link EventHandler}; a service has one handler of either kind per subject.
 */
@FunctionalInterface
public interface BatchEventHandler<E extends TicketingEvent> {

    void on(List<Delivery<E>> deliveries) throws Exception;
}
