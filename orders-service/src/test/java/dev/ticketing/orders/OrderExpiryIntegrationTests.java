package dev.ticketing.orders;

import static dev.ticketing.orders.OrdersClient.orderJson;
import static dev.ticketing.orders.OrdersClient.ticketInReplica;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.data.mongodb.core.query.Criteria.where;
import static org.springframework.data.mongodb.core.query.Query.query;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.model.Filters;
import dev.ticketing.events.OrderCancelled;
import dev.ticketing.events.OrderCompleted;
import dev.ticketing.events.OrderCreated;
import dev.ticketing.events.OrderStatus;
import dev.ticketing.events.PaymentCreated;
import dev.ticketing.events.testing.EventObserver;
import dev.ticketing.testsupport.NatsServer;
import dev.ticketing.testsupport.TestServers;
import dev.ticketing.testsupport.service.Instances;
import dev.ticketing.testsupport.service.Observing;
import dev.ticketing.testsupport.service.ServiceInstance;
import dev.ticketing.testsupport.service.ServiceTest;
import dev.ticketing.testsupport.service.Session;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;

/**
 * Orders with a two-second window, swept three at a time: unpaid ones are cancelled once, across restarts; paid
 * ones (completed by their {@code payment.created}) never, and orders that are no longer {@code created} never stand in the way of those that are due.
 */
@ServiceTest
class OrderExpiryIntegrationTests {

    private static final String WINDOW = "ticketing.orders.expiration=PT2S";
    /** Due orders loaded per query: small, so that a test can fill a page. */
    private static final int BATCH = 3;
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final String BUYER = "65f1c0ffee0000000000000b";

    private static NatsServer nats;
    private static ServiceInstance service;
    private static EventObserver bus;

    /** A NATS server of this class's own, so that its instance is the only orders service on it. */
    @BeforeAll
    static void start(NatsServer server, @Observing({OrderCreated.class, OrderCancelled.class, OrderCompleted.class}) EventObserver observer,
            Instances instances) {
        nats = server;
        bus = observer;
        service = instances.start(nats, "orders_expiry", WINDOW, "ticketing.orders.expiration-batch=" + BATCH);
        await().atMost(PATIENCE).until(bus::ready);
    }

    @Test
    void cancelsAnUnpaidOrderWhenItsWindowPassesAndSaysSoOnce() {
        Instant before = Instant.now();
        OrderView order = place(service);
        assertThat(order.expiresAt()).isBetween(before.plusSeconds(2).minusMillis(1), Instant.now().plusSeconds(2));

        await().atMost(PATIENCE).until(() -> service.bean(Orders.class).findById(order.id()).orElseThrow().status()
                == OrderStatus.CANCELLED);
        Order expired = service.bean(Orders.class).findById(order.id()).orElseThrow();
        assertThat(expired.version()).isEqualTo(1);
        assertThat(expired.activeTicketId()).isNull();
        assertThat(Instant.now()).isAfterOrEqualTo(order.expiresAt());

        await().atMost(PATIENCE).until(() -> bus.about(order.id()).size() >= 2);
        await().during(Duration.ofMillis(700)).atMost(PATIENCE).until(() -> bus.about(order.id()).size() == 2);
        assertThat(bus.about(order.id()).get(1)).isEqualTo(
                new OrderCancelled(order.id(), 1, new OrderCancelled.Ticket(order.ticket().id())));
    }

    @Test
    void leavesAPaidOrderAloneWhenItsWindowPasses() {
        // Paid the real way, by its payment.created, while its window is open (an hour, so that it cannot expire first).
        Order placed = stored(OrderStatus.CREATED, Instant.now().plus(Duration.ofHours(1)));
        bus.publish(new PaymentCreated(new ObjectId().toHexString(), placed.id(), "ch_" + placed.id()));
        await("the order completed by its payment").atMost(PATIENCE)
                .until(() -> status(placed.id()) == OrderStatus.COMPLETE);
        // Then its window passes: the stored deadline moves into the past, as time would move past it (a raw update:
        // one naming the Order class would also bump its version).
        service.bean(MongoTemplate.class).updateFirst(query(where("_id").is(new ObjectId(placed.id()))),
                Update.update("expiresAt", Instant.now().minusSeconds(1)), "orders");

        // An unpaid order due after it expires: a sweep has run past the paid order's window.
        OrderView unpaid = place(service);
        await("an unpaid order due after the paid one cancelled").atMost(PATIENCE)
                .until(() -> status(unpaid.id()) == OrderStatus.CANCELLED);

        Order stored = service.bean(Orders.class).findById(placed.id()).orElseThrow();
        assertThat(stored.status()).isEqualTo(OrderStatus.COMPLETE);
        assertThat(stored.version()).isEqualTo(1);
        assertThat(stored.expiresAt()).isBefore(Instant.now());
        assertThat(stored.activeTicketId()).as("the paid order keeps its ticket").isEqualTo(placed.ticketId());
        await().atMost(PATIENCE).until(() -> bus.about(unpaid.id()).size() == 2);
        await().atMost(PATIENCE).until(() -> !bus.about(placed.id()).isEmpty());
        assertThat(bus.about(placed.id())).containsExactly(
                new OrderCompleted(placed.id(), 1, new OrderCompleted.Ticket(placed.ticketId())));
    }

    @Test
    void aFullPageOfPastOrdersThatAreNoLongerCreatedDoesNotHoldBackADueOne() {
        // Two pages of cancelled and complete orders whose windows passed long ago: they sort ahead of any order
        // due now, so a sweep that looked at them would find a full page with nothing to expire, again and again.
        Instant longAgo = Instant.now().minus(Duration.ofHours(1));
        List<Order> settled = new ArrayList<>();
        for (int n = 0; n < 2 * BATCH; n++) {
            settled.add(stored(n % 2 == 0 ? OrderStatus.CANCELLED : OrderStatus.COMPLETE, longAgo.plusMillis(n)));
        }

        OrderView due = place(service);

        await("the due order cancelled behind a page of settled ones").atMost(PATIENCE)
                .until(() -> status(due.id()) == OrderStatus.CANCELLED);
        assertThat(service.bean(Orders.class).findById(due.id()).orElseThrow().version()).isEqualTo(1);
        await().atMost(PATIENCE).until(() -> bus.about(due.id()).size() >= 2);
        await().during(Duration.ofMillis(700)).atMost(PATIENCE).until(() -> bus.about(due.id()).size() == 2);
        assertThat(bus.about(due.id()).get(1)).isEqualTo(
                new OrderCancelled(due.id(), 1, new OrderCancelled.Ticket(due.ticket().id())));
        for (Order order : settled) {
            Order stored = service.bean(Orders.class).findById(order.id()).orElseThrow();
            assertThat(stored.status()).isEqualTo(order.status());
            assertThat(stored.version()).isZero();
            assertThat(bus.about(order.id())).isEmpty();
        }
    }

    @Test
    void expiryStopsWithTheServiceAndResumesWhenItStartsAgain() {
        OrderView order = place(service);
        service.pause();
        try {
            // Stopped means stopped: the window passes and nothing expires the order.
            Duration pastTheWindow = Duration.between(Instant.now(), order.expiresAt()).plusMillis(600);
            await().during(pastTheWindow).atMost(pastTheWindow.plus(PATIENCE)).until(() ->
                    service.bean(Orders.class).findById(order.id()).orElseThrow().status() == OrderStatus.CREATED);
        } finally {
            service.resume();
        }

        await().atMost(PATIENCE).until(() -> service.bean(Orders.class).findById(order.id()).orElseThrow().status()
                == OrderStatus.CANCELLED);
        await().atMost(PATIENCE).until(() -> bus.about(order.id()).size() >= 2);
        await().during(Duration.ofMillis(700)).atMost(PATIENCE).until(() -> bus.about(order.id()).size() == 2);
    }

    @Test
    void expiresAnOrderPlacedBeforeARestart(Instances instances) {
        String database = "orders_expiry_restart";
        // Set as a deployment would, through ORDER_EXPIRATION (application.yml maps it to ticketing.orders.expiration).
        String window = "ORDER_EXPIRATION=PT2S";
        OrderView order;
        try (ServiceInstance beforeRestart = instances.start(nats, database, window)) {
            order = place(beforeRestart);
        }
        // The first process is gone before the window ends: only the next one can expire the order.
        assertThat(storedStatus(database, order.id())).isEqualTo(OrderStatus.CREATED.name());
        assertThat(Instant.now()).isBefore(order.expiresAt());
        try (ServiceInstance afterRestart = instances.start(nats, database, window)) {
            Orders orders = afterRestart.bean(Orders.class);
            await().atMost(PATIENCE).until(() -> orders.findById(order.id()).orElseThrow().status() == OrderStatus.CANCELLED);
            await().atMost(PATIENCE).until(() -> bus.about(order.id()).size() >= 2);
            await().during(Duration.ofMillis(700)).atMost(PATIENCE).until(() -> bus.about(order.id()).size() == 2);
            assertThat(bus.about(order.id()).get(1)).isEqualTo(
                    new OrderCancelled(order.id(), 1, new OrderCancelled.Ticket(order.ticket().id())));
        }
    }

    /** An order written straight into the instance's database in {@code status}, with nothing in its outbox. */
    private static Order stored(OrderStatus status, Instant expiresAt) {
        String ticketId = new ObjectId().toHexString();
        return service.bean(Orders.class).save(new Order(new ObjectId().toHexString(), null, BUYER, status, expiresAt,
                expiresAt.minus(Duration.ofMinutes(15)), ticketId, status.reservesTicket() ? ticketId : null, null));
    }

    private static OrderStatus status(String orderId) {
        return service.bean(Orders.class).findById(orderId).orElseThrow().status();
    }

    private static String storedStatus(String database, String orderId) {
        try (MongoClient mongo = MongoClients.create(TestServers.mongoUri(database))) {
            return mongo.getDatabase(database).getCollection("orders")
                    .find(Filters.eq("_id", new ObjectId(orderId))).first().getString("status");
        }
    }

    /** A ticket in the instance's replica and an order for it, placed over HTTP. */
    private static OrderView place(ServiceInstance instance) {
        Ticket ticket = ticketInReplica(instance.bean(Tickets.class), "Concert", "20");
        Session buyer = instance.signIn();
        RestTestClient http = instance.http();
        return http.post().uri("/api/orders").header(HttpHeaders.COOKIE, buyer.cookie())
                .contentType(MediaType.APPLICATION_JSON).body(orderJson(ticket.id())).exchange()
                .expectStatus().isCreated().expectBody(OrderView.class).returnResult().getResponseBody();
    }
}

