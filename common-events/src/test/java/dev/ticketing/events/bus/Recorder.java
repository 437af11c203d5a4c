package dev.ticketing.events.bus;

import dev.ticketing.events.TicketingEvent;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A handler that remembers what it handled, in order. */
class Recorder<E extends TicketingEvent> implements EventHandler<E> {

    final List<E> events = new CopyOnWriteArrayList<>();
    final List<EventMetadata> deliveries = new CopyOnWriteArrayList<>();

    @Override
    public Verdict on(E event, EventMetadata metadata) throws Exception {
        deliveries.add(metadata);
        events.add(event);
        return Verdict.APPLIED;
    }
}
