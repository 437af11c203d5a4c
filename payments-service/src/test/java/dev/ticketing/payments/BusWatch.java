package dev.ticketing.payments;

import dev.ticketing.events.EventEnvelope;
import dev.ticketing.events.TicketingEvent;
import dev.ticketing.events.bus.EventBusSettings;
import dev.ticketing.events.bus.NatsEventBus;
import dev.ticketing.events.bus.Verdict;
import dev.ticketing.testsupport.TestServers;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.api.ConsumerInfo;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The bus as the tests see it: publishes events as the orders service would, and watches payment events (which
 * common-events' {@code EventObserver}, made for versioned events, does not take). An {@code @Observing} parameter.
 */
public final class BusWatch implements AutoCloseable {

    private final NatsEventBus bus;
    private final List<TicketingEvent> seen = new CopyOnWriteArrayList<>();

    @SuppressWarnings("unchecked")
    public BusWatch(String natsUrl, Class<?>... watched) {
        bus = NatsEventBus.start(EventBusSettings.of(natsUrl, "watch-" + UUID.randomUUID().toString().substring(0, 8)),
                new SimpleMeterRegistry());
        for (Class<?> type : watched) {
            bus.subscribe((Class<? extends TicketingEvent>) type, (event, metadata) -> {
                seen.add(event);
                return Verdict.APPLIED;
            });
        }
    }

    boolean ready() {
        return bus.status().ready();
    }

    void publish(TicketingEvent event) {
        bus.publish(event);
    }

    void publish(EventEnvelope envelope) {
        bus.publish(envelope);
    }

    /** The watched events of {@code type} about one order, in arrival order. */
    <E extends TicketingEvent> List<E> about(String orderId, Class<E> type) {
        return seen.stream().filter(type::isInstance).map(type::cast).filter(event -> event.recordId().equals(orderId))
                .toList();
    }

    /** Whether this service's durable has no event waiting or unacknowledged. */
    static boolean settled(String subject) throws Exception {
        try (Connection connection = Nats.connect(TestServers.nats().url())) {
            ConsumerInfo info = connection.jetStreamManagement()
                    .getConsumerInfo("TICKETING", "payments-service-" + subject.replace('.', '-'));
            return info.getNumPending() == 0 && info.getNumAckPending() == 0;
        }
    }

    @Override
    public void close() {
        bus.close();
    }
}
