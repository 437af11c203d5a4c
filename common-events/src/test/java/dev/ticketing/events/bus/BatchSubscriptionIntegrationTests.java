package dev.ticketing.events.bus;

import static dev.ticketing.events.bus.BusFixture.READY;
import static dev.ticketing.events.bus.BusFixture.ready;
import static dev.ticketing.events.bus.BusFixture.ticket;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ticketing.events.EventHeaders;
import dev.ticketing.events.TicketCreated;
import dev.ticketing.events.bus.BatchEventHandler.Delivery;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.api.MessageInfo;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link BatchEventHandler}: the events waiting are handed over together, and each is settled on its own. */
class BatchSubscriptionIntegrationTests {

    private final BusFixture fixture = new BusFixture();

    @AfterEach
    void stopEverything() {
        fixture.close();
    }

    @Test
    void handsWaitingEventsToTheHandlerTogetherAndAcksEachOnce() throws Exception {
        NatsEventBus publisher = ready(fixture.bus("tickets-service"));
        IntStream.range(0, 200).forEach(n -> publisher.publish(ticket(n)));
        BatchLog log = new BatchLog();

        NatsEventBus bus = fixture.bus("orders-service");
        bus.subscribeBatches(TicketCreated.class, log);

        await().atMost(READY).until(() -> log.handled.size() == 200);
        assertThat(log.handled.keySet()).containsExactlyInAnyOrderElementsOf(
                IntStream.range(0, 200).mapToObj(n -> ticket(n).id()).toList());
        assertThat(log.sizes).allSatisfy(size -> assertThat(size).isBetween(1, 64)); // batch-size in the fixture
        assertThat(log.sizes).anySatisfy(size -> assertThat(size).isGreaterThan(1)); // they were waiting
        awaitNothingPending("orders-service-ticket-created");
        assertThat(log.handled.values()).containsOnly(1);
    }

    @Test
    void comesBackOnlyForTheDeliveriesMarkedNotYet() throws Exception {
        NatsEventBus bus = fixture.bus("orders-service");
        BatchLog log = dependsOnTicket1();
        bus.subscribeBatches(TicketCreated.class, log);
        ready(bus);

        IntStream.of(2, 3, 4).forEach(n -> bus.publish(ticket(n)));
        await().atMost(READY).until(() -> log.deliveries("ticket-0002") >= 2);
        bus.publish(ticket(1));

        await().atMost(READY).until(() -> log.handled.size() == 4);
        assertThat(log.order).containsSubsequence("ticket-0001", "ticket-0002");
        awaitNothingPending("orders-service-ticket-created");
        assertThat(log.deliveries("ticket-0003")).isEqualTo(1);
        assertThat(log.deliveries("ticket-0004")).isEqualTo(1);
    }

    @Test
    void offersAnEarlyEventAgainInProcessWithoutARedelivery() {
        NatsEventBus bus = fixture.bus("orders-service");
        BatchLog log = dependsOnTicket1();
        bus.subscribeBatches(TicketCreated.class, log);
        ready(bus);

        bus.publish(ticket(2));
        await().atMost(READY).until(() -> log.deliveries("ticket-0002") >= 2); // offered again, still early
        bus.publish(ticket(1));

        await().atMost(READY).until(() -> log.handled.size() == 2);
        assertThat(log.order).containsExactly("ticket-0001", "ticket-0002");
        assertThat(log.serverDeliveries.get("ticket-0002")).as("deliveries by the server").isEqualTo(1);
    }

    @Test
    void givesAnEventThatStaysEarlyBackToTheServerAfterTheHold() {
        NatsEventBus bus = fixture.bus("orders-service");
        BatchLog log = dependsOnTicket1();
        bus.subscribeBatches(TicketCreated.class, log);
        ready(bus);

        bus.publish(ticket(2));

        // The fixture holds an early event back for 300 ms: then the server has it, and delivers it again.
        await().atMost(READY).until(() -> log.serverDeliveries.getOrDefault("ticket-0002", 0L) >= 2);
        bus.publish(ticket(1));
        await().atMost(READY).until(() -> log.handled.size() == 2);
        assertThat(log.order).containsExactly("ticket-0001", "ticket-0002");
    }

    @Test
    void retriesEveryUnmarkedDeliveryWhenTheHandlerThrows() throws Exception {
        NatsEventBus publisher = ready(fixture.bus("tickets-service"));
        IntStream.range(0, 10).forEach(n -> publisher.publish(ticket(n)));
        AtomicBoolean failedOnce = new AtomicBoolean();
        BatchLog log = new BatchLog() {
            @Override
            void beforeBatch(List<Delivery<TicketCreated>> deliveries) throws Exception {
                if (failedOnce.compareAndSet(false, true)) {
                    deliveries.getFirst().settle(Verdict.NOT_YET, "handled apart from the failure");
                    throw new IllegalStateException("database unreachable");
                }
            }
        };

        NatsEventBus bus = fixture.bus("orders-service");
        bus.subscribeBatches(TicketCreated.class, log);

        await().atMost(READY).until(() -> log.handled.size() == 10);
        awaitNothingPending("orders-service-ticket-created");
        assertThat(log.attempts.get()).isGreaterThan(log.handled.size()); // the failed batch came back
        assertThat(log.handled.values()).containsOnly(1);
    }

    @Test
    void parksADeliveryThatKeepsFailingAndAcksTheRestOfItsBatches() throws Exception {
        NatsEventBus bus = fixture.bus("orders-service");
        AtomicInteger poisonAttempts = new AtomicInteger();
        BatchLog log = new BatchLog() {
            @Override
            void handle(Delivery<TicketCreated> delivery) {
                if (delivery.event().id().equals("ticket-0666")) {
                    poisonAttempts.incrementAndGet();
                    delivery.fail(new IllegalArgumentException("cannot handle this one"));
                }
            }
        };
        bus.subscribeBatches(TicketCreated.class, log);
        ready(bus);

        bus.publish(ticket(666));
        IntStream.range(0, 5).forEach(n -> bus.publish(ticket(n)));

        await().atMost(READY).until(() -> log.handled.size() == 5);
        await().atMost(READY).until(() -> deadLetters() == 1);
        assertThat(poisonAttempts.get()).isEqualTo(3); // max-deliver in the fixture
        MessageInfo parked = fixture.inspect(jsm -> jsm.getLastMessage("TICKETING_DEAD_LETTERS",
                "deadletter.orders-service.ticket.created"));
        assertThat(parked.getHeaders().getFirst(EventHeaders.DEAD_LETTER_ERROR)).contains("cannot handle this one");
        awaitNothingPending("orders-service-ticket-created");
        assertThat(log.handled.values()).containsOnly(1);
    }

    @Test
    void parksAMalformedEventAndHandsOverTheRest() throws Exception {
        NatsEventBus bus = fixture.bus("orders-service");
        BatchLog log = new BatchLog();
        bus.subscribeBatches(TicketCreated.class, log);
        ready(bus);
        try (Connection raw = Nats.connect(fixture.server.url())) {
            raw.jetStream().publish("ticket.created", "{\"id\":\"no version\"}".getBytes());
        }
        bus.publish(ticket(1));

        await().atMost(READY).until(() -> log.handled.size() == 1);
        await().atMost(READY).until(() -> deadLetters() == 1);
        MessageInfo parked = fixture.inspect(jsm -> jsm.getLastMessage("TICKETING_DEAD_LETTERS",
                "deadletter.orders-service.ticket.created"));
        assertThat(parked.getHeaders().getFirst(EventHeaders.DEAD_LETTER_REASON)).isEqualTo("malformed");
    }

    @Test
    void closingLetsTheBatchInFlightFinishAndHandsTheRestToAnotherReplica() throws Exception {
        NatsEventBus publisher = ready(fixture.bus("tickets-service"));
        CountDownLatch inFlight = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        BatchLog first = new BatchLog() {
            @Override
            void beforeBatch(List<Delivery<TicketCreated>> deliveries) throws InterruptedException {
                inFlight.countDown();
                release.await(10, TimeUnit.SECONDS);
            }
        };
        NatsEventBus replica1 = fixture.bus("orders-service");
        replica1.subscribeBatches(TicketCreated.class, first);
        ready(replica1);
        IntStream.range(0, 100).forEach(n -> publisher.publish(ticket(n)));
        assertThat(inFlight.await(READY.toSeconds(), TimeUnit.SECONDS)).isTrue();

        Thread closing = Thread.ofVirtual().start(replica1::close);
        await().atMost(READY).until(() -> closing.getState() == Thread.State.WAITING
                || closing.getState() == Thread.State.TIMED_WAITING);
        release.countDown();
        closing.join(Duration.ofSeconds(60));
        assertThat(closing.isAlive()).isFalse();
        BatchLog second = new BatchLog();
        NatsEventBus replica2 = fixture.bus("orders-service");
        replica2.subscribeBatches(TicketCreated.class, second);

        await().atMost(READY).until(() -> first.handled.size() + second.handled.size() == 100);
        assertThat(first.handled).isNotEmpty();
        assertThat(second.handled.keySet()).doesNotContainAnyElementsOf(first.handled.keySet());
        awaitNothingPending("orders-service-ticket-created");
    }

    /** Says "not yet" to ticket-0002 until ticket-0001 has been handled. */
    private static BatchLog dependsOnTicket1() {
        return new BatchLog() {
            @Override
            void handle(Delivery<TicketCreated> delivery) {
                if (delivery.event().id().equals("ticket-0002") && !handled.containsKey("ticket-0001")) {
                    delivery.settle(Verdict.NOT_YET, "waiting for ticket-0001");
                }
            }
        };
    }

    private long deadLetters() throws Exception {
        return fixture.inspect(jsm -> jsm.getStreamInfo("TICKETING_DEAD_LETTERS").getStreamState().getMsgCount());
    }

    /** Every event acknowledged: none out, none waiting. */
    private void awaitNothingPending(String durable) {
        await().atMost(READY).until(() -> fixture.inspect(jsm -> {
            var info = jsm.getConsumerInfo("TICKETING", durable);
            return info.getNumAckPending() == 0 && info.getNumPending() == 0;
        }));
    }

    /**
     * Records each batch's size, how often each event was offered and the highest delivery count the server gave
     * it; a delivery left unmarked counts as handled.
     */
    private static class BatchLog implements BatchEventHandler<TicketCreated> {

        final List<Integer> sizes = new CopyOnWriteArrayList<>();
        final List<String> order = new CopyOnWriteArrayList<>();
        final Map<String, Integer> handled = new ConcurrentHashMap<>();
        final Map<String, Integer> delivered = new ConcurrentHashMap<>();
        final Map<String, Long> serverDeliveries = new ConcurrentHashMap<>();
        final AtomicInteger attempts = new AtomicInteger();

        @Override
        public void on(List<Delivery<TicketCreated>> deliveries) throws Exception {
            sizes.add(deliveries.size());
            deliveries.forEach(delivery -> {
                delivered.merge(delivery.event().id(), 1, Integer::sum);
                serverDeliveries.merge(delivery.event().id(), delivery.metadata().deliveryCount(), Math::max);
            });
            attempts.addAndGet(deliveries.size());
            beforeBatch(deliveries);
            for (Delivery<TicketCreated> delivery : deliveries) {
                handle(delivery);
                if (!delivery.isSettled()) {
                    handled.merge(delivery.event().id(), 1, Integer::sum);
                    order.add(delivery.event().id());
                }
            }
        }

        void beforeBatch(List<Delivery<TicketCreated>> deliveries) throws Exception {
        }

        void handle(Delivery<TicketCreated> delivery) {
        }

        int deliveries(String id) {
            return delivered.getOrDefault(id, 0);
        }
    }
}
