package dev.ticketing.events.bus;

import dev.ticketing.events.TicketingEvent;

/**
 * Reacts to one type of event. Return normally and the event is acknowledged; throw {@link NotYet} when it
 * arrived before its predecessor and it comes back after a short delay; throw anything else and it is
 * redelivered with backoff, then parked as a dead letter (except when Spring says the handler's database is
 * unreachable: then it waits on the server, redelivered with backoff, until the database is back). Handlers
 * must be idempotent: an event can be delivered more than once.
 *
 * <p>In a Spring application every bean of type {@code EventHandler<SomeEvent>} is subscribed on start,
 * one durable consumer per service and subject.
 */
@FunctionalInterface
public interface EventHandler<E extends TicketingEvent> {

    void on(E event, EventMetadata metadata) throws Exception;
}
