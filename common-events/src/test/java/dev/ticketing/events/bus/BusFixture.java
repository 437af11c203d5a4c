package dev.ticketing.events.bus;

import static org.awaitility.Awaitility.await;

import dev.ticketing.events.TicketCreated;
import dev.ticketing.testsupport.NatsServer;
import dev.ticketing.testsupport.TestServers;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/** A NATS server of the test's own and the buses it starts; {@link #close()} stops them all. */
final class BusFixture implements AutoCloseable {

    static final Duration READY = Duration.ofSeconds(60); // generous: CI runs with a core kept busy
    static final Duration CHECK_INTERVAL = Duration.ofMillis(200);
    static final Duration STALL_TIMEOUT = Duration.ofSeconds(2);

    final NatsServer server = TestServers.dedicatedNats();
    private final List<NatsEventBus> buses = new ArrayList<>();
    private final Map<NatsEventBus, SimpleMeterRegistry> meters = new HashMap<>();

    /** Test defaults: short delays so redeliveries happen within a test's patience. */
    static EventBusSettings.Consumer fastConsumer() {
        return new EventBusSettings.Consumer(Duration.ofSeconds(2), 1000, 3, 1, 64, Duration.ofMillis(50),
                Duration.ofMillis(200), 300, Duration.ofMillis(300), Duration.ofMillis(50), Duration.ofMillis(200));
    }

    NatsEventBus bus(String serviceName) {
        return bus(serviceName, consumer -> consumer);
    }

    NatsEventBus bus(String serviceName, UnaryOperator<EventBusSettings.Consumer> consumer) {
        EventBusSettings settings = EventBusSettings.of(server.url(), serviceName)
                .withInstanceName("test-" + buses.size())
                .withChecks(CHECK_INTERVAL, STALL_TIMEOUT)
                .withConsumer(consumer.apply(fastConsumer()));
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        NatsEventBus bus = NatsEventBus.start(settings, registry);
        buses.add(bus);
        meters.put(bus, registry);
        return bus;
    }

    /** The meters of a bus this fixture started. */
    SimpleMeterRegistry meters(NatsEventBus bus) {
        return meters.get(bus);
    }

    static NatsEventBus ready(NatsEventBus bus) {
        await().atMost(READY).until(() -> bus.status().ready());
        return bus;
    }

    static TicketCreated ticket(int n) {
        return new TicketCreated("ticket-%04d".formatted(n), 0, "Show " + n, BigDecimal.valueOf(10 + n), "user-1");
    }

    /** A plain JetStream management view of the test server, for assertions. */
    <T> T inspect(JsmQuery<T> query) throws Exception {
        try (Connection connection = Nats.connect(server.url())) {
            return query.apply(connection.jetStreamManagement());
        }
    }

    @FunctionalInterface
    interface JsmQuery<T> {
        T apply(JetStreamManagement jsm) throws Exception;
    }

    @Override
    public void close() {
        buses.forEach(NatsEventBus::close);
        server.close();
    }
}
