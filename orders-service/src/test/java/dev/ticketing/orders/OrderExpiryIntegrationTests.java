package dev.ticketing.orders;

import dev.ticketing.events.testing.EventObserver;
import dev.ticketing.events.OrderCreated;
import static dev.ticketing.orders.OrdersClient.orderJson;
import static dev.ticketing.orders.OrdersClient.ticketInReplica;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.model.Filters;
import dev.ticketing.events.OrderCancelled;
import dev.ticketing.events.OrderStatus;
import dev.ticketing.orders.OrdersClient.Session;
import dev.ticketing.testsupport.NatsServer;
import dev.ticketing.testsupport.TestServers;
import dev.ticketing.web.security.SessionCookies;
import java.time.Duration;
import java.time.Instant;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;

/** Orders with a two-second window: unpaid ones are cancelled once, across restarts; paid ones never. */
class OrderExpiryIntegrationTests {

    private static final String WINDOW = "ticketing.orders.expiration=PT2S";
    private static final Duration PATIENCE = Duration.ofSeconds(15);

    private static NatsServer nats;
    private static OrdersInstance service;
    private static EventObserver bus;

    @BeforeAll
    static void start() {
        nats = TestServers.dedicatedNats();
        service = OrdersInstance.start(nats.url(), "orders_expiry", WINDOW);
        bus = new EventObserver(nats.url(), OrderCreated.class, OrderCancelled.class);
        await().atMost(PATIENCE).until(bus::ready);
    }

    @AfterAll
    static void stop() {
        bus.close();
        service.close();
        nats.close();
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
    void leavesACompleteOrderAlone() {
        OrderView order = place(service);
        // As a payment would leave it (no payments service yet): complete, one version later.
        service.bean(MongoTemplate.class).updateFirst(Query.query(Criteria.where("_id").is(order.id())),
                new Update().set("status", OrderStatus.COMPLETE).inc("version", 1), Order.class);

        Duration pastTheWindow = Duration.between(Instant.now(), order.expiresAt()).plusMillis(1000);
        await().during(pastTheWindow).atMost(pastTheWindow.plus(PATIENCE)).until(() ->
                service.bean(Orders.class).findById(order.id()).orElseThrow().status() == OrderStatus.COMPLETE);
        assertThat(service.bean(Orders.class).findById(order.id()).orElseThrow().version()).isEqualTo(1);
        assertThat(bus.about(order.id())).hasSize(1);
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
    void expiresAnOrderPlacedBeforeARestart() {
        String database = "orders_expiry_restart";
        // Set as a deployment would, through ORDER_EXPIRATION (application.yml maps it to ticketing.orders.expiration).
        String window = "ORDER_EXPIRATION=PT2S";
        OrderView order;
        try (OrdersInstance beforeRestart = OrdersInstance.start(nats.url(), database, window)) {
            order = place(beforeRestart);
        }
        // The first process is gone before the window ends: only the next one can expire the order.
        assertThat(storedStatus(database, order.id())).isEqualTo(OrderStatus.CREATED.name());
        assertThat(Instant.now()).isBefore(order.expiresAt());
        try (OrdersInstance afterRestart = OrdersInstance.start(nats.url(), database, window)) {
            Orders orders = afterRestart.bean(Orders.class);
            await().atMost(PATIENCE).until(() -> orders.findById(order.id()).orElseThrow().status() == OrderStatus.CANCELLED);
            await().atMost(PATIENCE).until(() -> bus.about(order.id()).size() >= 2);
            await().during(Duration.ofMillis(700)).atMost(PATIENCE).until(() -> bus.about(order.id()).size() == 2);
            assertThat(bus.about(order.id()).get(1)).isEqualTo(
                    new OrderCancelled(order.id(), 1, new OrderCancelled.Ticket(order.ticket().id())));
        }
    }

    private static String storedStatus(String database, String orderId) {
        try (MongoClient mongo = MongoClients.create(TestServers.mongoUri(database))) {
            return mongo.getDatabase(database).getCollection("orders")
                    .find(Filters.eq("_id", new ObjectId(orderId))).first().getString("status");
        }
    }

    /** A ticket in the instance's replica and an order for it, placed over HTTP. */
    private static OrderView place(OrdersInstance instance) {
        Ticket ticket = ticketInReplica(instance.bean(Tickets.class), "Concert", "20");
        Session buyer = OrdersClient.signIn(instance.bean(SessionCookies.class));
        RestTestClient http = instance.http();
        return http.post().uri("/api/orders").header(HttpHeaders.COOKIE, buyer.cookie())
                .contentType(MediaType.APPLICATION_JSON).body(orderJson(ticket.id())).exchange()
                .expectStatus().isCreated().expectBody(OrderView.class).returnResult().getResponseBody();
    }
}

