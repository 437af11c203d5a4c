package dev.ticketing.events.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ticketing.events.EventEnvelope;
import dev.ticketing.events.TicketUpdated;
import dev.ticketing.testsupport.NatsCluster;
import dev.ticketing.testsupport.ProcessNatsServer;
import dev.ticketing.testsupport.TestServers;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The bus on a three-node JetStream cluster with streams replicated three times, while nodes fail. Publishing
 * retries a failed publish with the same event id, as the outbox does, so JetStream stores each event once
 * however often it was sent; the consumer must see every event. (A paused stream leader is not tested:
 * nats-server 2.9.10 can lose messages on it, see test-support's README.)
 */
class ClusterFailoverIntegrationTests {

    private static final Duration PATIENCE = Duration.ofSeconds(90);
    private static final int TICKETS = 100;
    private static final int VERSIONS = 20;

    private final NatsCluster cluster = TestServers.natsCluster();
    private final List<NatsEventBus> buses = new ArrayList<>();
    private final Map<String, Long> lastVersion = new ConcurrentHashMap<>();
    private final Set<String> received = ConcurrentHashMap.newKeySet();
    private NatsEventBus publisher;

    @BeforeEach
    void startBuses() {
        publisher = BusFixture.ready(bus("tickets-service"));
        NatsEventBus consumer = bus("orders-service");
        consumer.subscribe(TicketUpdated.class, (event, metadata) -> {
            received.add(metadata.eventId().toString());
            lastVersion.merge(event.id(), event.version(), Math::max);
            return Verdict.APPLIED;
        });
        BusFixture.ready(consumer);
    }

    @AfterEach
    void stopEverything() {
        buses.forEach(NatsEventBus::close);
        cluster.close();
    }

    @Test
    void everyEventArrivesOnceStoredWhileTheStreamLeaderIsKilled() throws Exception {
        AtomicReference<ProcessNatsServer> leader = new AtomicReference<>();
        whileEventsFlow(() -> {
            leader.set(cluster.node(streamLeader()));
            leader.get().kill();
        }, () -> leader.get().start());
    }

    @Test
    void theFlowGoesOnWhileANodeLosesItsStoreAndRejoins() throws Exception {
        ProcessNatsServer node = cluster.nodes().get(1);
        whileEventsFlow(node::wipeStore, node::start);
    }

    @Test
    void aRollingRestartOfEveryNodeLosesNothing() throws Exception {
        List<EventEnvelope> events = events();
        AtomicInteger published = new AtomicInteger();
        Thread flow = publishInTheBackground(events, published);

        for (ProcessNatsServer node : cluster.nodes()) {
            int before = published.get();
            await().atMost(PATIENCE).until(() -> published.get() >= Math.min(events.size(), before + 200));
            node.restart(); // returns once the node is back and current
        }
        flow.join(PATIENCE);

        assertEveryEventArrivedAndWasStoredOnce(events);
    }

    @FunctionalInterface
    private interface Fault {
        void act() throws Exception;
    }

    /** Publishes every event; breaks the cluster a quarter of the way, mends it half-way; then checks the outcome. */
    private void whileEventsFlow(Fault fault, Fault repair) throws Exception {
        List<EventEnvelope> events = events();
        AtomicInteger published = new AtomicInteger();
        Thread flow = publishInTheBackground(events, published);

        await().atMost(PATIENCE).until(() -> published.get() >= events.size() / 4);
        fault.act();
        await().atMost(PATIENCE).until(() -> published.get() >= events.size() / 2);
        repair.act();
        flow.join(PATIENCE);

        assertEveryEventArrivedAndWasStoredOnce(events);
    }

    private void assertEveryEventArrivedAndWasStoredOnce(List<EventEnvelope> events) throws Exception {
        await().atMost(PATIENCE).until(() -> received.size() == events.size());
        assertThat(received).containsExactlyInAnyOrderElementsOf(
                events.stream().map(event -> event.eventId().toString()).toList());
        assertThat(lastVersion).hasSize(TICKETS).allSatisfy((id, version) -> assertThat(version).isEqualTo(VERSIONS));
        long stored = inspect(jsm -> jsm.getStreamInfo("TICKETING").getStreamState().getMsgCount());
        assertThat(stored).as("events stored once each, however often they were sent").isEqualTo(events.size());
    }

    private Thread publishInTheBackground(List<EventEnvelope> events, AtomicInteger published) {
        return Thread.ofVirtual().start(() -> events.forEach(event -> {
            publishUntilStored(event);
            published.incrementAndGet();
        }));
    }

    /** Retries with the same event id until JetStream acknowledges it, as the outbox's relay and sweep do. */
    private void publishUntilStored(EventEnvelope event) {
        await().atMost(PATIENCE).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(50)).ignoreExceptions()
                .until(() -> {
            publisher.publish(event);
            return true;
        });
    }

    /** Version 1 of every ticket, then version 2, ...: as many writers would produce them. */
    private static List<EventEnvelope> events() {
        List<EventEnvelope> events = new ArrayList<>();
        for (int version = 1; version <= VERSIONS; version++) {
            for (int ticket = 0; ticket < TICKETS; ticket++) {
                events.add(EventEnvelope.of(new TicketUpdated("ticket-%03d".formatted(ticket), version, "Show",
                        BigDecimal.valueOf(10 + version), "user-1", null)));
            }
        }
        return events;
    }

    private String streamLeader() throws Exception {
        return inspect(jsm -> jsm.getStreamInfo("TICKETING").getClusterInfo().getLeader());
    }

    private <T> T inspect(BusFixture.JsmQuery<T> query) throws Exception {
        Options options = Options.builder().servers(cluster.urls().toArray(String[]::new)).build();
        try (Connection connection = Nats.connect(options)) {
            JetStreamManagement jsm = connection.jetStreamManagement();
            return query.apply(jsm);
        }
    }

    private NatsEventBus bus(String service) {
        EventBusSettings settings = EventBusSettings.of(cluster.url(), service)
                .withStream(new EventBusSettings.Stream("TICKETING", 3, Duration.ZERO, Duration.ofMinutes(2)))
                .withChecks(BusFixture.CHECK_INTERVAL, BusFixture.STALL_TIMEOUT)
                .withConsumer(BusFixture.fastConsumer());
        NatsEventBus bus = NatsEventBus.start(settings, new SimpleMeterRegistry());
        buses.add(bus);
        return bus;
    }
}
