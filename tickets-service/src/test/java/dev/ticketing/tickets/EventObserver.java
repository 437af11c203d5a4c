package dev.ticketing.tickets;

import dev.ticketing.events.TicketCreated;
import dev.ticketing.events.TicketUpdated;
import dev.ticketing.events.TicketingEvent;
import dev.ticketing.events.VersionedEvent;
import dev.ticketing.events.bus.EventBusSettings;
import dev.ticketing.events.bus.NatsEventBus;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Watches the real bus as another service would, with durables of its own, and publishes the events other
 * services would send. Remembers each ticket event with its stream sequence: the order on the bus.
 */
final class EventObserver implements AutoCloseable {

    record Seen(VersionedEvent event, long streamSequence) {
    }

    private final NatsEventBus bus;
    private final List<Seen> seen = new CopyOnWriteArrayList<>();

    EventObserver(String natsUrl) {
        bus = NatsEventBus.start(EventBusSettings.of(natsUrl, "observer-" + UUID.randomUUID().toString().substring(0, 8)),
                new SimpleMeterRegistry());
        bus.subscribe(TicketCreated.class, (event, meta) -> seen.add(new Seen(event, meta.streamSequence())));
        bus.subscribe(TicketUpdated.class, (event, meta) -> seen.add(new Seen(event, meta.streamSequence())));
    }

    boolean ready() {
        return bus.status().ready();
    }

    void publish(TicketingEvent event) {
        bus.publish(event);
    }

    /** Events about one ticket, in the order they are on the bus. */
    List<VersionedEvent> about(String ticketId) {
        return seen.stream()
                .filter(s -> s.event().id().equals(ticketId))
                .sorted(Comparator.comparingLong(Seen::streamSequence))
                .map(Seen::event)
                .toList();
    }

    Map<String, List<Long>> versionsByTicket() {
        Map<String, List<Long>> versions = new ConcurrentHashMap<>();
        seen.stream().sorted(Comparator.comparingLong(Seen::streamSequence))
                .forEach(s -> versions.computeIfAbsent(s.event().id(), id -> new CopyOnWriteArrayList<>())
                        .add(s.event().version()));
        return versions;
    }

    @Override
    public void close() {
        bus.close();
    }
}
