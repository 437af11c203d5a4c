package dev.ticketing.events.testing;

import dev.ticketing.events.EventEnvelope;
import dev.ticketing.events.TicketingEvent;
import dev.ticketing.events.VersionedEvent;
import dev.ticketing.events.bus.EventBusSettings;
import dev.ticketing.events.bus.NatsEventBus;
import dev.ticketing.events.bus.Verdict;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * For service tests: watches the real bus as another service would, with durables of its own, and publishes
 * the events other services would send. Remembers each watched event with its stream sequence, so tests
 * can assert the order on the bus whichever consumer saw an event first. Shipped in common-events' test jar; a
 * {@code @ServiceTest} gets one opened and closed for it with {@code @Observing(types)}, through the
 * {@code (natsUrl, watched...)} constructor.
 */
public final class EventObserver implements AutoCloseable {

    private record Seen(VersionedEvent event, long streamSequence, boolean resync) {
    }

    private final NatsEventBus bus;
    private final List<Seen> seen = new CopyOnWriteArrayList<>();

    @SafeVarargs
    public EventObserver(String natsUrl, Class<? extends VersionedEvent>... watched) {
        bus = NatsEventBus.start(EventBusSettings.of(natsUrl, "observer-" + UUID.randomUUID().toString().substring(0, 8)),
                new SimpleMeterRegistry());
        for (Class<? extends VersionedEvent> type : watched) {
            bus.subscribe(type, (event, meta) -> {
                seen.add(new Seen(event, meta.streamSequence(), meta.resync()));
                return Verdict.APPLIED;
            });
        }
    }

    /** Connected, streams provisioned, every watch consuming. */
    public boolean ready() {
        return bus.status().ready();
    }

    public void publish(TicketingEvent event) {
        bus.publish(event);
    }

    /** Publishes with the envelope's id and flags, e.g. {@code EventEnvelope.resync(state, streamCreatedAt)}. */
    public void publish(EventEnvelope envelope) {
        bus.publish(envelope);
    }

    /** Watched events that came with the resync header, in the order they are on the bus. */
    public List<VersionedEvent> resyncs() {
        return seen.stream().filter(Seen::resync)
                .sorted(Comparator.comparingLong(Seen::streamSequence))
                .map(Seen::event)
                .toList();
    }

    /** Watched events about one record, in the order they are on the bus. */
    public List<VersionedEvent> about(String recordId) {
        return seen.stream()
                .filter(s -> s.event().id().equals(recordId))
                .sorted(Comparator.comparingLong(Seen::streamSequence))
                .map(Seen::event)
                .toList();
    }

    /** The versions seen per record id, in bus order. */
    public Map<String, List<Long>> versionsById() {
        Map<String, List<Long>> versions = new LinkedHashMap<>();
        seen.stream().sorted(Comparator.comparingLong(Seen::streamSequence))
                .forEach(s -> versions.computeIfAbsent(s.event().id(), id -> new java.util.ArrayList<>())
                        .add(s.event().version()));
        return versions;
    }

    @Override
    public void close() {
        bus.close();
    }
}
