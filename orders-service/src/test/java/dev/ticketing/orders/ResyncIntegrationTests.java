package dev.ticketing.orders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ticketing.events.EventEnvelope;
import dev.ticketing.events.OrderCancelled;
import dev.ticketing.events.OrderCreated;
import dev.ticketing.events.TicketCreated;
import dev.ticketing.events.TicketUpdated;
import dev.ticketing.events.testing.EventObserver;
import dev.ticketing.testsupport.NatsServer;
import dev.ticketing.testsupport.TestServers;
import dev.ticketing.testsupport.service.Instances;
import dev.ticketing.testsupport.service.ServiceInstance;
import dev.ticketing.testsupport.service.ServiceTest;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;
import org.springframework.data.mongodb.core.MongoOperations;
import org.springframework.data.mongodb.core.query.Query;

/**
 * NATS comes back with an empty store: the replica takes the tickets service's resync over the versions that were
 * lost and follows the updates after it, and the service restates its own orders once.
 */
@ServiceTest
class ResyncIntegrationTests {

    private static final Duration PATIENCE = Duration.ofSeconds(60); // generous: CI runs with a core kept busy
    private static final String SELLER = "65f1c0ffee0000000000000b";
    private static final String BUYER = "65f1c0ffee0000000000000d";

    private final String database = "orders_resync_" + System.nanoTime();

    @Test
    void theReplicaTakesAResyncOverVersionsLostWithTheStoreAndFollowsTheUpdatesAfterIt(Instances instances) throws Exception {
        try (NatsServer nats = TestServers.dedicatedNats();
                ServiceInstance orders = instances.start(nats, database);
                EventObserver bus = new EventObserver(nats.url(), OrderCreated.class)) {
            await().atMost(PATIENCE).until(bus::ready);
            Tickets replica = orders.bean(Tickets.class);
            String id = new ObjectId().toHexString();
            bus.publish(new TicketCreated(id, 0, "v0", BigDecimal.ONE, SELLER));
            bus.publish(update(id, 1));
            bus.publish(update(id, 2));
            await().atMost(PATIENCE).until(() -> version(replica, id) == 2);

            // v3 is stored in the stream but never delivered: the server then loses its store, and v3 with it.
            orders.pause();
            bus.publish(update(id, 3));
            nats.wipeStore();
            nats.start();
            await().atMost(PATIENCE).until(bus::ready);
            orders.resume();
            assertThat(version(replica, id)).as("v3 never reached the replica").isEqualTo(2);
            Instant stream = Instant.now();

            // By the n-1 rule alone v4 waits for v3, for good.
            bus.publish(update(id, 4));
            await().during(Duration.ofMillis(500)).atMost(PATIENCE).until(() -> version(replica, id) == 2);
            bus.publish(EventEnvelope.resync(update(id, 5), stream));
            await().atMost(PATIENCE).until(() -> version(replica, id) == 5);
            assertThat(replica.findById(id).orElseThrow().title()).isEqualTo("v5");

            bus.publish(update(id, 6));
            await().atMost(PATIENCE).until(() -> version(replica, id) == 6);

            // A resync below the version held (sent before v6, say, and delivered late) changes nothing.
            bus.publish(EventEnvelope.resync(update(id, 4), stream));
            await().atMost(PATIENCE).until(() -> bus.settled("orders-service-ticket-updated"));
            Ticket held = replica.findById(id).orElseThrow();
            assertThat(held.version()).isEqualTo(6);
            assertThat(held.title()).isEqualTo("v6");
            assertThat(held.price()).isEqualByComparingTo("6");
        }
    }

    @Test
    void aResyncInsertsATicketTheReplicaNeverHeld(Instances instances) {
        try (NatsServer nats = TestServers.dedicatedNats();
                ServiceInstance orders = instances.start(nats, database);
                EventObserver bus = new EventObserver(nats.url(), OrderCreated.class)) {
            await().atMost(PATIENCE).until(bus::ready);
            Tickets replica = orders.bean(Tickets.class);
            String updated = new ObjectId().toHexString();
            String listed = new ObjectId().toHexString();

            bus.publish(EventEnvelope.resync(update(updated, 3), Instant.now()));
            bus.publish(EventEnvelope.resync(new TicketCreated(listed, 0, "v0", BigDecimal.ONE, SELLER), Instant.now()));

            await().atMost(PATIENCE).until(() -> version(replica, updated) == 3 && version(replica, listed) == 0);
            assertThat(replica.findById(updated).orElseThrow().title()).isEqualTo("v3");
        }
    }

    @Test
    void restatesEveryOrderOnceWhenTheStreamIsCreatedAgain(Instances instances) {
        try (NatsServer nats = TestServers.dedicatedNats();
                ServiceInstance orders = instances.start(nats, database);
                EventObserver bus = new EventObserver(nats.url(), OrderCreated.class, OrderCancelled.class)) {
            await().atMost(PATIENCE).until(bus::ready);
            MongoOperations mongo = orders.bean(MongoOperations.class);
            await().atMost(PATIENCE).until(() -> mongo.exists(new Query(), "stream_epochs")); // a fresh service's marker
            Orders store = orders.bean(Orders.class);
            Order active = store.save(Order.place(BUYER, replicaTicket(orders, "12.5"), Instant.now(), Duration.ofMinutes(15)));
            Order cancelled = store.save(Order.place(BUYER, replicaTicket(orders, "30"), Instant.now(), Duration.ofMinutes(15)));
            cancelled.cancel();
            cancelled = store.save(cancelled);
            await().atMost(PATIENCE).until(() -> store.findAll().stream().allMatch(order -> order.outbox().isEmpty()));

            nats.wipeStore();
            nats.start();

            await().atMost(PATIENCE).until(() -> bus.resyncs().size() >= 2);
            assertThat(bus.resyncs()).containsExactlyInAnyOrder(
                    active.currentState(new BigDecimal("12.5")),
                    new OrderCancelled(cancelled.id(), 1, new OrderCancelled.Ticket(cancelled.ticketId())));
        }
    }

    private static Ticket replicaTicket(ServiceInstance orders, String price) {
        Ticket ticket = new Ticket(new ObjectId().toHexString(), "Concert", new BigDecimal(price), 0);
        orders.bean(Tickets.class).insertIfAbsent(ticket);
        return ticket;
    }

    private static TicketUpdated update(String id, long version) {
        return new TicketUpdated(id, version, "v" + version, BigDecimal.valueOf(version), SELLER, null);
    }

    private static long version(Tickets replica, String id) {
        return replica.findById(id).map(Ticket::version).orElse(-1L);
    }
}
