package dev.ticketing.payments;

import static dev.ticketing.payments.PaymentsClient.orderCreated;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ticketing.events.EventEnvelope;
import dev.ticketing.events.OrderCancelled;
import dev.ticketing.events.OrderCompleted;
import dev.ticketing.events.OrderCreated;
import dev.ticketing.events.OrderStatus;
import dev.ticketing.events.testing.EventObserver;
import dev.ticketing.testsupport.service.Observing;
import dev.ticketing.testsupport.service.ServiceTest;
import java.time.Duration;
import java.time.Instant;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The order replica fed by the real bus, under the rules of concurrency: version n only onto n - 1, early events
 * wait for their predecessors, repeats change nothing, a resync is taken at any higher version and never below.
 */
@ServiceTest
class OrderReplicaIntegrationTests {

    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final String BUYER = "65f1c0ffee0000000000000b";
    private static EventObserver bus;

    @Autowired
    Orders orders;

    @BeforeAll
    static void connect(@Observing({}) EventObserver watch) {
        bus = watch;
        await().atMost(PATIENCE).until(bus::ready);
    }

    @Test
    void storesACreatedOrderWithItsOwnerPriceAndVersion() {
        OrderCreated created = orderCreated(BUYER, "20.5");

        bus.publish(created);

        await().atMost(PATIENCE).until(() -> orders.findById(created.id()).isPresent());
        Order stored = orders.findById(created.id()).orElseThrow();
        assertThat(stored.userId()).isEqualTo(BUYER);
        assertThat(stored.price()).isEqualByComparingTo("20.5");
        assertThat(stored.status()).isEqualTo(OrderStatus.CREATED);
        assertThat(stored.version()).isZero();
    }

    @Test
    void cancelsAndCompletesOntoThePreviousVersion() {
        OrderCreated cancelledLater = created();
        OrderCreated completedLater = created();

        bus.publish(new OrderCancelled(cancelledLater.id(), 1, ticketOf(cancelledLater)));
        bus.publish(new OrderCompleted(completedLater.id(), 1, new OrderCompleted.Ticket(completedLater.ticket().id())));

        await().atMost(PATIENCE).until(() -> statusOf(cancelledLater.id()) == OrderStatus.CANCELLED
                && statusOf(completedLater.id()) == OrderStatus.COMPLETE);
        assertThat(orders.findById(cancelledLater.id()).orElseThrow().version()).isEqualTo(1);
        assertThat(orders.findById(completedLater.id()).orElseThrow().version()).isEqualTo(1);
    }

    @Test
    void holdsBackAnEventThatArrivesBeforeTheOrder() {
        OrderCreated created = orderCreated(BUYER, "20");

        bus.publish(new OrderCompleted(created.id(), 1, new OrderCompleted.Ticket(created.ticket().id())));
        await().during(Duration.ofMillis(300)).atMost(PATIENCE).until(() -> orders.findById(created.id()).isEmpty());
        bus.publish(created);

        await().atMost(PATIENCE).until(() -> statusOf(created.id()) == OrderStatus.COMPLETE);
        assertThat(orders.findById(created.id()).orElseThrow().version()).isEqualTo(1);
    }

    @Test
    void waitsForSkippedVersions() {
        OrderCreated created = created();

        bus.publish(new OrderCancelled(created.id(), 2, ticketOf(created)));
        await().during(Duration.ofMillis(300)).atMost(PATIENCE).until(() -> statusOf(created.id()) == OrderStatus.CREATED);
        bus.publish(new OrderCompleted(created.id(), 1, new OrderCompleted.Ticket(created.ticket().id())));

        // The owner's history (not one the orders service makes today): each version in turn, the last one wins.
        await().atMost(PATIENCE).until(() -> orders.findById(created.id()).orElseThrow().version() == 2);
        assertThat(statusOf(created.id())).isEqualTo(OrderStatus.CANCELLED);
    }

    @Test
    void acknowledgesRepeatsWithoutChangingTheReplica() throws Exception {
        OrderCreated created = created();
        OrderCompleted completed = new OrderCompleted(created.id(), 1, new OrderCompleted.Ticket(created.ticket().id()));
        bus.publish(completed);
        await().atMost(PATIENCE).until(() -> statusOf(created.id()) == OrderStatus.COMPLETE);

        bus.publish(created);
        bus.publish(completed);
        bus.publish(new OrderCancelled(created.id(), 1, ticketOf(created)));

        await().atMost(PATIENCE).until(() -> bus.settled("payments-service-order-created")
                && bus.settled("payments-service-order-completed") && bus.settled("payments-service-order-cancelled"));
        Order stored = orders.findById(created.id()).orElseThrow();
        assertThat(stored.status()).isEqualTo(OrderStatus.COMPLETE);
        assertThat(stored.version()).isEqualTo(1);
    }

    @Test
    void takesAResyncAtAnyHigherVersionAndNeverBelow() {
        OrderCreated created = created();
        Instant stream = Instant.now();

        // The stream lost versions 1 and 2; the owner restates the order as it is now, complete at version 3.
        bus.publish(EventEnvelope.resync(new OrderCreated(created.id(), 3, OrderStatus.COMPLETE, BUYER,
                created.expiresAt(), created.ticket()), stream));
        await().atMost(PATIENCE).until(() -> orders.findById(created.id()).orElseThrow().version() == 3);
        assertThat(statusOf(created.id())).isEqualTo(OrderStatus.COMPLETE);

        // A resync at or below the version held (delivered late) changes nothing; a later one applies.
        bus.publish(EventEnvelope.resync(new OrderCancelled(created.id(), 2, ticketOf(created)), stream));
        bus.publish(EventEnvelope.resync(created, stream));
        bus.publish(EventEnvelope.resync(new OrderCancelled(created.id(), 5, ticketOf(created)), stream));

        await().atMost(PATIENCE).until(() -> orders.findById(created.id()).orElseThrow().version() == 5);
        assertThat(statusOf(created.id())).isEqualTo(OrderStatus.CANCELLED);
    }

    @Test
    void aResyncInsertsAnOrderTheReplicaNeverHeldButNotACancellationOfOne() throws Exception {
        OrderCreated unknown = orderCreated(BUYER, "30");
        String cancelledUnknown = new ObjectId().toHexString();

        bus.publish(EventEnvelope.resync(new OrderCancelled(cancelledUnknown, 4,
                new OrderCancelled.Ticket(new ObjectId().toHexString())), Instant.now()));
        bus.publish(EventEnvelope.resync(new OrderCreated(unknown.id(), 2, OrderStatus.CREATED, BUYER,
                unknown.expiresAt(), unknown.ticket()), Instant.now()));

        await().atMost(PATIENCE).until(() -> orders.findById(unknown.id()).isPresent());
        Order stored = orders.findById(unknown.id()).orElseThrow();
        assertThat(stored.version()).isEqualTo(2);
        assertThat(stored.price()).isEqualByComparingTo("30");
        await().atMost(PATIENCE).until(() -> bus.settled("payments-service-order-cancelled"));
        assertThat(orders.findById(cancelledUnknown))
                .as("no payment can exist for an order never held, and the event names neither owner nor price").isEmpty();
    }

    /** An order created through the bus and applied. */
    private OrderCreated created() {
        OrderCreated created = orderCreated(BUYER, "20");
        bus.publish(created);
        await().atMost(PATIENCE).until(() -> orders.findById(created.id()).isPresent());
        return created;
    }

    private OrderStatus statusOf(String id) {
        return orders.findById(id).map(Order::status).orElse(null);
    }

    private static OrderCancelled.Ticket ticketOf(OrderCreated created) {
        return new OrderCancelled.Ticket(created.ticket().id());
    }
}
