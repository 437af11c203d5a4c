package dev.ticketing.events.testing;

import dev.ticketing.events.EventEnvelope;
import dev.ticketing.events.TicketingEvent;
import dev.ticketing.events.VersionedEvent;
import dev.ticketing.events.bus.EventBusSettings;
import dev.ticketing.events.bus.NatsEventBus;
import dev.ticketing.events.bus.Verdict;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.Nats;
import io.nats.client.api.ConsumerInfo;
import java.io.IOException;
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

    private record Seen(TicketingEvent event, long streamSequence, boolean resync) {
    }

    private final String natsUrl;
    private final NatsEventBus bus;
    private final List<Seen> seen = new CopyOnWriteArrayList<>();

    @SafeVarargs
    public EventObserver(String natsUrl, Class<? extends TicketingEvent>... watched) {
        this.natsUrl = natsUrl;
        bus = NatsEventBus.start(EventBusSettings.of(natsUrl, "observer-" + UUID.randomUUID().toString().substring(0, 8)),
                new SimpleMeterRegistry());
        for (Class<? extends TicketingEvent> type : watched) {
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

    /** Watched versioned events that came with the resync header, in the order they are on the bus. */
    public List<VersionedEvent> resyncs() {
        return inBusOrder().filter(Seen::resync).map(Seen::event).map(VersionedEvent.class::cast).toList();
    }

    /** Watched versioned events about one record, in the order they are on the bus. */
    public List<VersionedEvent> about(String recordId) {
        return about(recordId, VersionedEvent.class);
    }

    /** Watched events of {@code type} about one record ({@link TicketingEvent#recordId()}), in bus order. */
    public <E extends TicketingEvent> List<E> about(String recordId, Class<E> type) {
        return inBusOrder().map(Seen::event).filter(type::isInstance).map(type::cast)
                .filter(event -> event.recordId().equals(recordId)).toList();
    }

    /** The versions seen per record id, in bus order. */
    public Map<String, List<Long>> versionsById() {
        Map<String, List<Long>> versions = new LinkedHashMap<>();
        inBusOrder().map(Seen::event).filter(VersionedEvent.class::isInstance).map(VersionedEvent.class::cast)
                .forEach(event -> versions.computeIfAbsent(event.id(), id -> new java.util.ArrayList<>())
                        .add(event.version()));
        return versions;
    }

    /** Whether the durable {@code durable} of the event stream has nothing waiting and nothing unacknowledged. */
    public boolean settled(String durable) throws IOException, InterruptedException, JetStreamApiException {
        try (Connection connection = Nats.connect(natsUrl)) {
            ConsumerInfo info = connection.jetStreamManagement().getConsumerInfo("TICKETING", durable);
            return info.getNumPending() == 0 && info.getNumAckPending() == 0;
        }
    }

    private java.util.stream.Stream<Seen> inBusOrder() {
        return seen.stream().sorted(Comparator.comparingLong(Seen::streamSequence));
    }

    @Override
    public void close() {
        bus.close();
    }
}
