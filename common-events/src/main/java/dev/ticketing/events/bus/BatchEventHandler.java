package dev.ticketing.events.bus;

import dev.ticketing.events.TicketingEvent;
import java.util.List;

/**
 * Reacts to the events of one type that have arrived together, at most {@code ticketing.nats.consumer.batch-size}
 * at once, in the order the bus delivered them. For handlers whose cost is mostly one round trip to their
 * database: a batch lets them write once for many events (the orders-service replica merges consecutive
 * versions of a ticket and sends one bulk write per batch).
 *
 * <p>The handler gives each delivery its {@link Verdict} with {@link Delivery#settle}; one it leaves alone counts as
 * applied and is acknowledged when {@code on} returns. A {@link Verdict#NOT_YET} delivery is held in the process and
 * offered again with the next batches for up to {@code not-yet-hold}, then given back to the server. If {@code on}
 * throws, every delivery not yet settled has {@link Verdict#FAILED}. Handlers must be idempotent: an event can be
 * delivered more than once, in the same batch or a later one.
 *
 * <p>In a Spring application every bean of type {@code BatchEventHandler<SomeEvent>} is subscribed on start,
 * like an {@link EventHandler}; a service has one handler of either kind per subject.
 */
@FunctionalInterface
public interface BatchEventHandler<E extends TicketingEvent> {

    void on(List<Delivery<E>> deliveries) throws Exception;
}
