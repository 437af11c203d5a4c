package dev.ticketing.events.bus;

import dev.ticketing.events.TicketingEvent;

/**
 * Reacts to one type of event and says what became of it: {@link Verdict#APPLIED} or {@link Verdict#REPEAT} and
 * it is acknowledged; {@link Verdict#NOT_YET} when it arrived before its predecessor and must come back after a
 * short delay; {@link Verdict#REJECTED} when no retry can help and it is parked at once. Throw, and it is
 * redelivered with backoff, then parked as a dead letter (except when Spring says the handler's database is
 * unreachable: then it waits on the server, redelivered with backoff, until the database is back). Handlers must
 * be idempotent: an event can be delivered more than once.
 *
 * <p>The bus runs it as a {@link BatchEventHandler} of batches of one. In a Spring application every bean of type
 * {@code EventHandler<SomeEvent>} is subscribed on start, one durable consumer per service and subject.
 */
@FunctionalInterface
public interface EventHandler<E extends TicketingEvent> {

    Verdict on(E event, EventMetadata metadata) throws Exception;
}
