package dev.ticketing.events.bus;

import static dev.ticketing.events.bus.BusFixture.READY;
import static dev.ticketing.events.bus.BusFixture.ready;
import static dev.ticketing.events.bus.BusFixture.ticket;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ticketing.events.EventEnvelope;
import dev.ticketing.events.EventHeaders;
import dev.ticketing.events.OrderCancelled;
import dev.ticketing.events.EventType;
import dev.ticketing.events.TicketCreated;
import dev.ticketing.events.TicketingEvent;
import dev.ticketing.events.bus.NatsEventBus.PublishReceipt;
import io.micrometer.core.instrument.MeterRegistry;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.StreamInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;

/** Each NATS Streaming idea the system relies on, proven against a real JetStream server. */
class EventBusIntegrationTests {

    private final BusFixture fixture = new BusFixture();

    @AfterEach
    void stopEverything() {
        fixture.close();
    }

    @Test
    void deliversPublishedEventToListenerWithItsMetadata() {
        NatsEventBus bus = fixture.bus("orders-service");
        Recorder<TicketCreated> recorder = new Recorder<>();
        bus.subscribe(TicketCreated.class, recorder);
        ready(bus);

        EventEnvelope envelope = EventEnvelope.of(ticket(1));
        PublishReceipt receipt = bus.publish(envelope);

        assertThat(receipt.stream()).isEqualTo("TICKETING");
        assertThat(receipt.duplicate()).isFalse();
        await().atMost(READY).until(() -> recorder.events.size() == 1);
        assertThat(recorder.events).containsExactly(ticket(1));
        EventMetadata metadata = recorder.deliveries.getFirst();
        assertThat(metadata.eventId()).isEqualTo(envelope.eventId());
        assertThat(metadata.occurredAt()).isEqualTo(envelope.occurredAt());
        assertThat(metadata.schemaVersion()).isEqualTo(1);
        assertThat(metadata.deliveryCount()).isEqualTo(1);
    }

    @Test
    void provisionsStreamAndDurableConsumerAsTheContractSays() throws Exception {
        NatsEventBus bus = fixture.bus("orders-service");
        bus.subscribe(TicketCreated.class, new Recorder<>());
        ready(bus);

        StreamInfo stream = fixture.inspect(jsm -> jsm.getStreamInfo("TICKETING"));
        assertThat(stream.getConfiguration().getSubjects()).containsExactlyInAnyOrder("ticket.>", "order.>", "expiration.>", "payment.>");
        assertThat(stream.getConfiguration().getDuplicateWindow()).isEqualTo(Duration.ofMinutes(2));
        ConsumerInfo consumer = fixture.inspect(jsm -> jsm.getConsumerInfo("TICKETING", "orders-service-ticket-created"));
        ConsumerConfiguration config = consumer.getConsumerConfiguration();
        assertThat(config.getDurable()).isEqualTo("orders-service-ticket-created");
        assertThat(config.getFilterSubject()).isEqualTo("ticket.created");
        assertThat(config.getAckPolicy()).isEqualTo(io.nats.client.api.AckPolicy.Explicit);
        assertThat(config.getDeliverPolicy()).isEqualTo(io.nats.client.api.DeliverPolicy.All);
    }

    @Test
    void sendsEventMetadataAsHeaders() throws Exception {
        NatsEventBus bus = ready(fixture.bus("tickets-service"));
        EventEnvelope envelope = EventEnvelope.of(ticket(7));
        long sequence = bus.publish(envelope).sequence();

        MessageInfo stored = fixture.inspect(jsm -> jsm.getMessage("TICKETING", sequence));

        assertThat(stored.getSubject()).isEqualTo("ticket.created");
        assertThat(stored.getHeaders().getFirst(EventHeaders.MESSAGE_ID)).isEqualTo(envelope.eventId().toString());
        assertThat(stored.getHeaders().getFirst(EventHeaders.EVENT_ID)).isEqualTo(envelope.eventId().toString());
        assertThat(stored.getHeaders().getFirst(EventHeaders.EVENT_TYPE)).isEqualTo("ticket.created");
        assertThat(stored.getHeaders().getFirst(EventHeaders.SCHEMA_VERSION)).isEqualTo("1");
        assertThat(stored.getHeaders().getFirst(EventHeaders.OCCURRED_AT)).isEqualTo(envelope.occurredAt().toString());
    }

    @Test
    void queueGroupHandlesEachEventOnceAndSharesTheWork() {
        Set<String> handledBy0 = ConcurrentHashMap.newKeySet();
        Set<String> handledBy1 = ConcurrentHashMap.newKeySet();
        AtomicInteger handled = new AtomicInteger();
        NatsEventBus replica0 = fixture.bus("orders-service", consumer -> consumer.withConcurrency(1));
        NatsEventBus replica1 = fixture.bus("orders-service", consumer -> consumer.withConcurrency(1));
        // A little work per event, so that one replica cannot drain the durable before the other pulls.
        replica0.subscribe(TicketCreated.class, (event, meta) -> {
            slowly();
            handledBy0.add(event.id());
            handled.incrementAndGet();
            return Verdict.APPLIED;
        });
        replica1.subscribe(TicketCreated.class, (event, meta) -> {
            slowly();
            handledBy1.add(event.id());
            handled.incrementAndGet();
            return Verdict.APPLIED;
        });
        ready(replica0);
        ready(replica1);

        IntStream.range(0, 200).forEach(n -> replica0.publish(ticket(n)));

        await().atMost(Duration.ofSeconds(30)).until(() -> handled.get() >= 200);
        assertThat(handled.get()).isEqualTo(200);
        Set<String> all = new HashSet<>(handledBy0);
        all.addAll(handledBy1);
        assertThat(all).hasSize(200);
        assertThat(handledBy0).doesNotContainAnyElementsOf(handledBy1);
        assertThat(handledBy0).isNotEmpty();
        assertThat(handledBy1).isNotEmpty();
    }

    @Test
    void redeliversEventWhoseHandlerFailed() {
        NatsEventBus bus = fixture.bus("tickets-service");
        List<Long> attempts = new ArrayList<>();
        Recorder<OrderCancelled> recorder = new Recorder<>() {
            @Override
            public Verdict on(OrderCancelled event, EventMetadata metadata) throws Exception {
                attempts.add(metadata.deliveryCount());
                if (metadata.deliveryCount() == 1) {
                    throw new IllegalStateException("database briefly unavailable");
                }
                return super.on(event, metadata);
            }
        };
        bus.subscribe(OrderCancelled.class, recorder);
        ready(bus);

        bus.publish(new OrderCancelled("order-1", 1, new OrderCancelled.Ticket("ticket-1")));

        await().atMost(READY).until(() -> recorder.events.size() == 1);
        assertThat(attempts).containsExactly(1L, 2L);
        assertThat(recorder.deliveries.getFirst().isRedelivery()).isTrue();
    }

    @Test
    void redeliversEventThatWasNeverAcknowledged() {
        // A replica that pulls an event and dies before acking: the server redelivers after ackWait.
        NatsEventBus doomed = fixture.bus("orders-service", consumer -> consumer.withAckWait(Duration.ofSeconds(1)));
        AtomicInteger pulledByDoomed = new AtomicInteger();
        java.util.concurrent.CountDownLatch never = new java.util.concurrent.CountDownLatch(1);
        doomed.subscribe(TicketCreated.class, (event, meta) -> {
            pulledByDoomed.incrementAndGet();
            never.await();
            return Verdict.APPLIED;
        });
        ready(doomed).publish(ticket(1));
        await().atMost(READY).until(() -> pulledByDoomed.get() == 1);

        NatsEventBus survivor = fixture.bus("orders-service", consumer -> consumer.withAckWait(Duration.ofSeconds(1)));
        Recorder<TicketCreated> recorder = new Recorder<>();
        survivor.subscribe(TicketCreated.class, recorder);
        ready(survivor);

        await().atMost(READY).until(() -> recorder.events.size() == 1);
        assertThat(recorder.deliveries.getFirst().deliveryCount()).isGreaterThan(1);
        never.countDown();
    }

    @Test
    void resumesDurableFromWhereItsServiceLeftOff() {
        NatsEventBus first = fixture.bus("orders-service");
        Recorder<TicketCreated> before = new Recorder<>();
        Subscription subscription = first.subscribe(TicketCreated.class, before);
        ready(first);
        IntStream.range(0, 5).forEach(n -> first.publish(ticket(n)));
        await().atMost(READY).until(() -> before.events.size() == 5);
        subscription.close();
        first.close();

        NatsEventBus publisher = ready(fixture.bus("tickets-service"));
        IntStream.range(5, 15).forEach(n -> publisher.publish(ticket(n)));

        NatsEventBus restarted = fixture.bus("orders-service");
        Recorder<TicketCreated> after = new Recorder<>();
        restarted.subscribe(TicketCreated.class, after);
        ready(restarted);

        await().atMost(READY).until(() -> after.events.size() >= 10);
        assertThat(after.events).containsExactlyElementsOf(IntStream.range(5, 15).mapToObj(BusFixture::ticket).toList());
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> after.events.size() == 10);
    }

    @Test
    void deliversWholeHistoryToServiceThatSubscribesLate() {
        NatsEventBus publisher = ready(fixture.bus("tickets-service"));
        IntStream.range(0, 20).forEach(n -> publisher.publish(ticket(n)));

        NatsEventBus late = fixture.bus("orders-service");
        Recorder<TicketCreated> recorder = new Recorder<>();
        late.subscribe(TicketCreated.class, recorder);

        await().atMost(READY).until(() -> recorder.events.size() == 20);
        assertThat(recorder.events).containsExactlyElementsOf(IntStream.range(0, 20).mapToObj(BusFixture::ticket).toList());
    }

    @Test
    void storesRepublishedEventOnce() throws Exception {
        NatsEventBus bus = ready(fixture.bus("tickets-service"));
        EventEnvelope envelope = EventEnvelope.of(ticket(1));

        PublishReceipt first = bus.publish(envelope);
        PublishReceipt again = bus.publish(envelope);

        assertThat(first.duplicate()).isFalse();
        assertThat(again.duplicate()).isTrue();
        assertThat(again.sequence()).isEqualTo(first.sequence());
        long stored = fixture.inspect(jsm -> jsm.getStreamInfo("TICKETING").getStreamState().getMsgCount());
        assertThat(stored).isEqualTo(1);
    }

    @Test
    void redeliversEarlyEventAfterItsPredecessor() {
        NatsEventBus bus = fixture.bus("orders-service");
        Set<String> applied = ConcurrentHashMap.newKeySet();
        List<String> order = new java.util.concurrent.CopyOnWriteArrayList<>();
        AtomicInteger notYets = new AtomicInteger();
        bus.subscribe(TicketCreated.class, (event, meta) -> {
            // ticket-0002 depends on ticket-0001, which is published last.
            if (event.id().equals("ticket-0002") && !applied.contains("ticket-0001")) {
                notYets.incrementAndGet();
                return Verdict.NOT_YET;
            }
            applied.add(event.id());
            order.add(event.id());
            return Verdict.APPLIED;
        });
        ready(bus);

        bus.publish(ticket(2));
        await().atMost(READY).until(() -> notYets.get() >= 2);
        bus.publish(ticket(1));

        await().atMost(READY).until(() -> order.size() == 2);
        assertThat(order).containsExactly("ticket-0001", "ticket-0002");
    }

    @Test
    void parksPoisonEventAsDeadLetterAndKeepsConsuming() throws Exception {
        NatsEventBus bus = fixture.bus("orders-service");
        AtomicInteger poisonAttempts = new AtomicInteger();
        Recorder<TicketCreated> healthy = new Recorder<>() {
            @Override
            public Verdict on(TicketCreated event, EventMetadata metadata) throws Exception {
                if (event.id().equals("ticket-0666")) {
                    poisonAttempts.incrementAndGet();
                    throw new IllegalArgumentException("cannot handle this one");
                }
                return super.on(event, metadata);
            }
        };
        bus.subscribe(TicketCreated.class, healthy);
        ready(bus);

        bus.publish(ticket(666));
        IntStream.range(0, 5).forEach(n -> bus.publish(ticket(n)));

        await().atMost(READY).until(() -> healthy.events.size() == 5);
        await().atMost(READY).until(() -> fixture.inspect(jsm -> jsm.getStreamInfo("TICKETING_DEAD_LETTERS")
                .getStreamState().getMsgCount()) == 1);
        assertThat(poisonAttempts.get()).isEqualTo(3); // maxDeliver in the fixture
        MessageInfo parked = fixture.inspect(jsm -> jsm.getLastMessage("TICKETING_DEAD_LETTERS",
                "deadletter.orders-service.ticket.created"));
        assertThat(new String(parked.getData())).contains("ticket-0666");
        assertThat(parked.getHeaders().getFirst(EventHeaders.DEAD_LETTER_SUBJECT)).isEqualTo("ticket.created");
        assertThat(parked.getHeaders().getFirst(EventHeaders.DEAD_LETTER_ERROR)).contains("cannot handle this one");
        assertThat(parked.getHeaders().getFirst(EventHeaders.DEAD_LETTER_DELIVERIES)).isEqualTo("3");
        assertThat(parked.getHeaders().getFirst(EventHeaders.EVENT_TYPE)).isEqualTo("ticket.created");
        // Terminated: never delivered again.
        await().during(Duration.ofMillis(700)).atMost(Duration.ofSeconds(2)).until(() -> poisonAttempts.get() == 3);
    }

    @Test
    void parksARejectedEventAtOnce() throws Exception {
        NatsEventBus bus = fixture.bus("orders-service");
        AtomicInteger rejections = new AtomicInteger();
        Recorder<TicketCreated> recorder = new Recorder<>() {
            @Override
            public Verdict on(TicketCreated event, EventMetadata metadata) throws Exception {
                if (event.id().equals("ticket-0666")) {
                    rejections.incrementAndGet();
                    return Verdict.REJECTED;
                }
                return super.on(event, metadata);
            }
        };
        bus.subscribe(TicketCreated.class, recorder);
        ready(bus);

        bus.publish(ticket(666));
        bus.publish(ticket(1));

        await().atMost(READY).until(() -> recorder.events.size() == 1);
        await().atMost(READY).until(() -> fixture.inspect(jsm -> jsm.getStreamInfo("TICKETING_DEAD_LETTERS")
                .getStreamState().getMsgCount()) == 1);
        MessageInfo parked = fixture.inspect(jsm -> jsm.getLastMessage("TICKETING_DEAD_LETTERS",
                "deadletter.orders-service.ticket.created"));
        assertThat(new String(parked.getData())).contains("ticket-0666");
        assertThat(parked.getHeaders().getFirst(EventHeaders.DEAD_LETTER_REASON)).isEqualTo("rejected");
        assertThat(parked.getHeaders().getFirst(EventHeaders.DEAD_LETTER_DELIVERIES)).isEqualTo("1");
        assertThat(fixture.meters(bus).get("ticketing.events.handled")
                .tags("subject", "ticket.created", "outcome", "dead_lettered").counter().count()).isEqualTo(1.0);
        // Terminated on its first delivery: never delivered again (max-deliver is 3 in the fixture).
        await().during(Duration.ofMillis(700)).atMost(Duration.ofSeconds(2)).until(() -> rejections.get() == 1);
    }

    @Test
    void countsEachDeliveryOnceAndAParkedOneOnlyAsDeadLettered() throws Exception {
        // Parked on delivery 3 either way: max-deliver is 3 in the fixture, not-yet-max-deliveries 3 here.
        NatsEventBus bus = fixture.bus("orders-service", consumer -> new EventBusSettings.Consumer(consumer.ackWait(),
                consumer.maxAckPending(), consumer.maxDeliver(), consumer.concurrency(), consumer.batchSize(),
                consumer.notYetDelay(), consumer.notYetMaxDelay(), 3, consumer.notYetHold(), consumer.retryDelay(),
                consumer.retryMaxDelay()));
        AtomicInteger deliveries = new AtomicInteger();
        bus.subscribe(TicketCreated.class, (event, metadata) -> {
            deliveries.incrementAndGet();
            return switch (event.id()) {
                case "ticket-0666" -> throw new IllegalArgumentException("cannot handle this one");
                case "ticket-0777" -> Verdict.NOT_YET; // its predecessor never comes
                default -> Verdict.APPLIED;
            };
        });
        ready(bus);

        bus.publish(ticket(666));
        bus.publish(ticket(777));
        bus.publish(ticket(1));

        await().atMost(Duration.ofSeconds(30)).until(() -> fixture.inspect(jsm -> jsm.getStreamInfo("TICKETING_DEAD_LETTERS")
                .getStreamState().getMsgCount()) == 2);
        MeterRegistry meters = fixture.meters(bus);
        await().atMost(READY).untilAsserted(() -> assertThat(Stream.of("acked", "not_yet", "failed", "dead_lettered")
                .collect(Collectors.toMap(outcome -> outcome, outcome -> meters.get("ticketing.events.handled")
                        .tags("subject", "ticket.created", "outcome", outcome).counter().count())))
                .isEqualTo(Map.of("acked", 1.0, "not_yet", 2.0, "failed", 2.0, "dead_lettered", 2.0)));
        assertThat(deliveries.get()).isEqualTo(7); // 1 + 3 + 3: seven deliveries, seven counts
    }

    @Test
    void keepsRedeliveringAnEventWhileItsHandlersDatabaseIsUnreachable() throws Exception {
        NatsEventBus bus = fixture.bus("orders-service");
        AtomicInteger attempts = new AtomicInteger();
        Recorder<TicketCreated> recorder = new Recorder<>() {
            @Override
            public Verdict on(TicketCreated event, EventMetadata metadata) throws Exception {
                // Twice max-deliver (3 in the fixture): a poison event would have been parked long before.
                if (attempts.incrementAndGet() <= 6) {
                    throw new DataAccessResourceFailureException("Timed out waiting for a server",
                            new IllegalStateException("connection refused"));
                }
                return super.on(event, metadata);
            }
        };
        bus.subscribe(TicketCreated.class, recorder);
        ready(bus);

        bus.publish(ticket(7));

        await().atMost(READY).until(() -> recorder.events.size() == 1);
        assertThat(recorder.deliveries.getFirst().deliveryCount()).isEqualTo(7);
        long parked = fixture.inspect(jsm -> jsm.getStreamInfo("TICKETING_DEAD_LETTERS").getStreamState().getMsgCount());
        assertThat(parked).isZero();
    }

    @Test
    void parksMalformedPayloadAtOnce() throws Exception {
        NatsEventBus bus = fixture.bus("orders-service");
        Recorder<TicketCreated> recorder = new Recorder<>();
        bus.subscribe(TicketCreated.class, recorder);
        ready(bus);
        try (io.nats.client.Connection raw = io.nats.client.Nats.connect(fixture.server.url())) {
            raw.jetStream().publish("ticket.created", "{\"id\":\"no version\"}".getBytes());
        }
        bus.publish(ticket(1));

        await().atMost(READY).until(() -> recorder.events.size() == 1);
        await().atMost(READY).until(() -> fixture.inspect(jsm -> jsm.getStreamInfo("TICKETING_DEAD_LETTERS")
                .getStreamState().getMsgCount()) == 1);
        MessageInfo parked = fixture.inspect(jsm -> jsm.getLastMessage("TICKETING_DEAD_LETTERS",
                "deadletter.orders-service.ticket.created"));
        assertThat(parked.getHeaders().getFirst(EventHeaders.DEAD_LETTER_REASON)).isEqualTo("malformed");
        assertThat(parked.getHeaders().getFirst(EventHeaders.DEAD_LETTER_DELIVERIES)).isEqualTo("1");
    }

    @Test
    void refusesSecondHandlerForTheSameSubjectInOneService() {
        NatsEventBus bus = fixture.bus("orders-service");
        bus.subscribe(TicketCreated.class, new Recorder<>());

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> bus.subscribe(TicketCreated.class, new Recorder<>()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("one handler per subject");
    }

    @Test
    void failsPublishFastWhileNatsIsUnreachable() {
        NatsEventBus bus = ready(fixture.bus("tickets-service"));
        fixture.server.stop();
        await().atMost(READY).until(() -> !bus.status().ready());

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> bus.publish(ticket(1)))
                .isInstanceOf(PublishFailed.class)
                .hasMessageContaining("ticket.created");
    }

    private static void slowly() throws InterruptedException {
        Thread.sleep(2); // simulated handler work, not a wait for an event
    }

    @Test
    void listenersOfEveryInstanceHearPublishedEventsOfTheirTypesWithoutADurableConsumer() throws Exception {
        NatsEventBus first = fixture.bus("client");
        NatsEventBus second = fixture.bus("client");
        List<TicketingEvent> heardByFirst = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<TicketingEvent> heardBySecond = new java.util.concurrent.CopyOnWriteArrayList<>();
        AutoCloseable listening = first.listen(Set.of(EventType.TICKET_CREATED), heardByFirst::add);
        second.listen(Set.of(EventType.TICKET_CREATED, EventType.ORDER_CANCELLED), heardBySecond::add);
        ready(first);
        ready(second);

        first.publish(ticket(1));
        first.publish(new OrderCancelled("o1", 1, new OrderCancelled.Ticket("t1")));
        await().atMost(READY).until(() -> heardByFirst.size() == 1 && heardBySecond.size() == 2);
        assertThat(heardByFirst).containsExactly(ticket(1));
        assertThat(heardBySecond).containsExactly(ticket(1), new OrderCancelled("o1", 1, new OrderCancelled.Ticket("t1")));
        List<String> durables = fixture.inspect(jsm -> jsm.getConsumerNames("TICKETING"));
        assertThat(durables).isEmpty();

        listening.close();
        second.publish(ticket(2));
        await().atMost(READY).until(() -> heardBySecond.size() == 3);
        assertThat(heardByFirst).containsExactly(ticket(1));
    }
}
