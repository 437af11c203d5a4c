package dev.ticketing.orders;

import dev.ticketing.events.OrderCancelled;
import dev.ticketing.events.OrderCreated;
import dev.ticketing.events.TicketingEvent;
import dev.ticketing.events.VersionedEvent;
import dev.ticketing.events.bus.EventBusSettings;
import dev.ticketing.events.bus.NatsEventBus;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Watches the real bus as the tickets service would, with durables of its own, and publishes the events the
 * tickets service would send. Remembers each order event with its stream sequence: the order on the bus.
 */
final class EventObserver implements AutoCloseable {

    record Seen(VersionedEvent event, long streamSequence) {
    }

    private final NatsEventBus bus;
    private final List<Seen> seen = new CopyOnWriteArrayList<>();

    EventObserver(String natsUrl) {
        bus = NatsEventBus.start(EventBusSettings.of(natsUrl, "observer-" + UUID.randomUUID().toString().substring(0, 8)),
                new SimpleMeterRegistry());
        bus.subscribe(OrderCreated.class, (event, meta) -> seen.add(new Seen(event, meta.streamSequence())));
        bus.subscribe(OrderCancelled.class, (event, meta) -> seen.add(new Seen(event, meta.streamSequence())));
    }

    boolean ready() {
        return bus.status().ready();
    }

    void publish(TicketingEvent event) {
        bus.publish(event);
    }

    /** Events about one order, in the order they are on the bus. */
    List<VersionedEvent> about(String orderId) {
        return seen.stream()
                .filter(s -> s.event().id().equals(orderId))
                .sorted(Comparator.comparingLong(Seen::streamSequence))
                .map(Seen::event)
                .toList();
    }

    @Override
    public void close() {
        bus.close();
    }
}
