package dev.ticketing.events.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.ticketing.events.TicketCreated;
import dev.ticketing.events.TicketUpdated;
import dev.ticketing.events.VersionedEvent;
import dev.ticketing.events.bus.EventBusSettings;
import dev.ticketing.events.bus.NatsEventBus;
import dev.ticketing.events.bus.Verdict;
import dev.ticketing.testsupport.NatsServer;
import dev.ticketing.testsupport.TestServers;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.mongodb.autoconfigure.DataMongoAutoConfiguration;
import org.springframework.boot.mongodb.autoconfigure.MongoAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.data.mongodb.MongoManagedTypes;
import org.springframework.data.mongodb.core.MongoTemplate;

/** Rule 4 of the event contract: a write and its event are atomic, and the event is published at least once. */
class OutboxIntegrationTests {

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private NatsServer nats;
    private NatsEventBus observer;
    private final List<VersionedEvent> observed = new CopyOnWriteArrayList<>();
    /** Stream sequence of each observed event: the order on the bus, whichever consumer saw it first. */
    private final Map<VersionedEvent, Long> sequences = new java.util.concurrent.ConcurrentHashMap<>();
    private String database;

    @BeforeEach
    void startServersAndObserver() {
        nats = TestServers.dedicatedNats();
        database = "outbox_" + System.nanoTime();
        observer = NatsEventBus.start(EventBusSettings.of(nats.url(), "observer"), new SimpleMeterRegistry());
        observer.subscribe(TicketCreated.class, (event, meta) -> observe(event, meta.streamSequence()));
        observer.subscribe(TicketUpdated.class, (event, meta) -> observe(event, meta.streamSequence()));
    }

    private Verdict observe(VersionedEvent event, long streamSequence) {
        sequences.put(event, streamSequence);
        observed.add(event);
        return Verdict.APPLIED;
    }

    @AfterEach
    void stopServers() {
        observer.close();
        nats.close();
    }

    private ApplicationContextRunner service(boolean relayEnabled) {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(MongoAutoConfiguration.class, DataMongoAutoConfiguration.class,
                        eventBusAutoConfiguration(), OutboxAutoConfiguration.class))
                // What entity scanning gives a real service: the mapped types, so the sweep knows the collection.
                .withBean(MongoManagedTypes.class, () -> MongoManagedTypes.from(SoldTicket.class))
                .withPropertyValues(
                        "spring.mongodb.uri=" + TestServers.mongoUri(database),
                        "ticketing.nats.url=" + nats.url(),
                        "ticketing.nats.service-name=tickets-service",
                        "ticketing.outbox.sweep-interval=200ms",
                        "ticketing.outbox.relay-enabled=" + relayEnabled);
    }

    /** Package-private in the bus package, as auto-configurations should be; loaded the way Boot loads it. */
    private static Class<?> eventBusAutoConfiguration() {
        try {
            return Class.forName("dev.ticketing.events.bus.EventBusAutoConfiguration");
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void publishesEventRightAfterTheWriteAndEmptiesTheOutbox() {
        service(true).run(context -> {
            MongoTemplate mongo = context.getBean(MongoTemplate.class);
            mongo.save(SoldTicket.create("t1", "Concert", BigDecimal.TEN));

            await().atMost(PATIENCE).until(() -> observed.size() == 1);
            assertThat(observed.getFirst()).isEqualTo(new TicketCreated("t1", 0, "Concert", BigDecimal.TEN, "user-1"));
            await().atMost(PATIENCE).until(() -> mongo.findById("t1", SoldTicket.class).outbox().isEmpty());
        });
    }

    @Test
    void keepsEventsWhileNatsIsDownAndPublishesEachOnceInOrderWhenItReturns() {
        service(true).run(context -> {
            MongoTemplate mongo = context.getBean(MongoTemplate.class);
            await().atMost(PATIENCE).until(() -> observer.status().ready());
            nats.stop();

            for (int n = 0; n < 20; n++) {
                mongo.save(SoldTicket.create("t" + n, "Show " + n, BigDecimal.ONE));
                SoldTicket ticket = mongo.findById("t" + n, SoldTicket.class);
                ticket.reprice(BigDecimal.valueOf(10));
                mongo.save(ticket);
                ticket = mongo.findById("t" + n, SoldTicket.class);
                ticket.reprice(BigDecimal.valueOf(15));
                mongo.save(ticket);
            }
            assertThat(mongo.findAll(SoldTicket.class)).allSatisfy(ticket -> assertThat(ticket.outbox()).hasSize(3));

            nats.start();

            await().atMost(PATIENCE).until(() -> observed.size() >= 60);
            await().during(Duration.ofMillis(600)).atMost(PATIENCE).until(() -> observed.size() == 60);
            Map<String, List<Long>> versionsByTicket = observed.stream()
                    .sorted(java.util.Comparator.comparing(sequences::get))
                    .collect(Collectors.groupingBy(
                    VersionedEvent::id, Collectors.mapping(VersionedEvent::version, Collectors.toList())));
            assertThat(versionsByTicket).hasSize(20).allSatisfy((id, versions) -> assertThat(versions).containsExactly(0L, 1L, 2L));
            await().atMost(PATIENCE).until(() -> mongo.findAll(SoldTicket.class).stream().allMatch(t -> t.outbox().isEmpty()));
        });
    }

    @Test
    void publishesEventsOfWritesWhoseRelayNeverRan() {
        // The process "dies" after its writes and before relaying: the events wait in the documents.
        service(false).run(context -> {
            MongoTemplate mongo = context.getBean(MongoTemplate.class);
            IntStream.range(0, 5).forEach(n -> mongo.save(SoldTicket.create("t" + n, "Show", BigDecimal.ONE)));
        });
        assertThat(observed).isEmpty();

        service(true).run(context -> {
            await().atMost(PATIENCE).until(() -> observed.size() == 5);
            assertThat(observed).extracting(VersionedEvent::id).containsExactlyInAnyOrder("t0", "t1", "t2", "t3", "t4");
        });
    }

    @Test
    void neitherFailsNorStrandsAWriteWhoseCallbackRacesTheRelaysStop() throws Exception {
        service(true).run(context -> {
            MongoTemplate mongo = context.getBean(MongoTemplate.class);
            OutboxRelay relay = context.getBean(OutboxRelay.class);
            OutboxRelay.SaveCallback afterSave = context.getBean(OutboxRelay.SaveCallback.class);
            await().atMost(PATIENCE).until(() -> observer.status().ready());
            // What Spring Data does right after a write: hand the written document to the relay (here without the
            // write itself; the hand-over is what races). It is held after the relay checked that it runs and before
            // it gives the document to a worker, and the relay stops meanwhile.
            SoldTicket ticket = SoldTicket.create("t1", "Concert", BigDecimal.ONE);
            HeldId id = new HeldId("t1");
            CompletableFuture<Object> callback = CompletableFuture.supplyAsync(
                    () -> afterSave.onAfterSave(ticket, document(mongo, ticket, id), "sold_tickets"));
            id.awaitHeld();
            relay.stop();
            mongo.save(SoldTicket.create("t2", "Opera", BigDecimal.ONE)); // a write while the relay is stopped
            id.release();

            assertThat(callback).succeedsWithin(PATIENCE); // the write succeeded: its caller sees no error
            relay.start();
            // The record written again, its event still pending: the relay must not think it is still relaying it.
            afterSave.onAfterSave(ticket, document(mongo, ticket, id), "sold_tickets");
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(observed).containsExactlyInAnyOrder(
                    new TicketCreated("t1", 0, "Concert", BigDecimal.ONE, "user-1"),
                    new TicketCreated("t2", 0, "Opera", BigDecimal.ONE, "user-1")));
        });
    }

    private static Document document(MongoTemplate mongo, SoldTicket ticket, Object id) {
        Document document = new Document();
        mongo.getConverter().write(ticket, document);
        document.put("_id", id);
        return document;
    }

    /**
     * A record id that holds the first thread to hash it until released: in the relay, hashing the record's key is
     * the one step between its check that it runs and its hand-off to a worker. (A document: a kind of id that the
     * relay's queries can carry.)
     */
    private static final class HeldId extends Document {

        private final transient CountDownLatch held = new CountDownLatch(1);
        private final transient CountDownLatch released = new CountDownLatch(1);

        HeldId(String value) {
            super("ticket", value);
        }

        @Override
        public int hashCode() {
            if (held.getCount() > 0) {
                held.countDown();
                try {
                    released.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return super.hashCode();
        }

        void awaitHeld() throws InterruptedException {
            assertThat(held.await(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
        }

        void release() {
            released.countDown();
        }
    }

    @Test
    void leavesNoEventForAWriteThatFailedItsVersionCheck() {
        service(true).run(context -> {
            MongoTemplate mongo = context.getBean(MongoTemplate.class);
            mongo.save(SoldTicket.create("t1", "Concert", BigDecimal.ONE));
            SoldTicket first = mongo.findById("t1", SoldTicket.class);
            SoldTicket second = mongo.findById("t1", SoldTicket.class);

            first.reprice(BigDecimal.valueOf(10));
            mongo.save(first);
            second.reprice(BigDecimal.valueOf(99));
            assertThatThrownBy(() -> mongo.save(second)).isInstanceOf(OptimisticLockingFailureException.class);

            await().atMost(PATIENCE).until(() -> observed.size() == 2);
            await().during(Duration.ofMillis(600)).atMost(PATIENCE).until(() -> observed.size() == 2);
            assertThat(observed).containsExactly(
                    new TicketCreated("t1", 0, "Concert", BigDecimal.ONE, "user-1"),
                    new TicketUpdated("t1", 1, "Concert", BigDecimal.valueOf(10), "user-1", null));
        });
    }
}
