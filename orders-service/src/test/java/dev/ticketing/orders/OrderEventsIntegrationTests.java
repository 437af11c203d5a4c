package dev.ticketing.orders;

import static dev.ticketing.orders.OrdersClient.ticketInReplica;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ticketing.events.OrderCancelled;
import dev.ticketing.events.OrderCreated;
import dev.ticketing.events.OrderStatus;
import dev.ticketing.events.testing.EventObserver;
import dev.ticketing.testsupport.service.Observing;
import dev.ticketing.testsupport.service.ServiceInstance;
import dev.ticketing.testsupport.service.ServiceTest;
import dev.ticketing.testsupport.service.Session;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import org.bson.Document;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.test.web.servlet.client.RestTestClient;

/** What the orders service says on the bus, observed there as the tickets service would. */
@ServiceTest
class OrderEventsIntegrationTests {

    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static EventObserver bus;

    @Autowired
    RestTestClient http;
    @Autowired
    Orders orders;
    @Autowired
    Tickets tickets;
    @Autowired
    MongoTemplate mongo;

    private ServiceInstance service;
    private OrdersClient client;
    private Session buyer;

    @BeforeAll
    static void watchTheBus(@Observing({OrderCreated.class, OrderCancelled.class}) EventObserver observer) {
        bus = observer;
        await().atMost(PATIENCE).until(bus::ready);
    }

    @BeforeEach
    void signIn(ServiceInstance service) {
        this.service = service;
        client = new OrdersClient(http);
        buyer = service.signIn();
    }

    @Test
    void publishesOrderCreatedWithTheTicketsPrice() {
        Ticket ticket = ticketInReplica(tickets, "Concert", "20.50");

        OrderView order = client.placed(buyer.cookie(), ticket.id());

        await().atMost(PATIENCE).until(() -> !bus.about(order.id()).isEmpty());
        assertThat(bus.about(order.id())).containsExactly(new OrderCreated(order.id(), 0, OrderStatus.CREATED,
                buyer.userId(), order.expiresAt(), new OrderCreated.Ticket(ticket.id(), new BigDecimal("20.5"))));
        await().atMost(PATIENCE).until(() -> orders.findById(order.id()).orElseThrow().outbox().isEmpty());
    }

    @Test
    void refusedOrderPublishesNothing() {
        Ticket ticket = ticketInReplica(tickets, "Concert", "20");
        OrderView winner = client.placed(buyer.cookie(), ticket.id());
        client.place(service.signIn().cookie(), OrdersClient.orderJson(ticket.id())).expectStatus().isBadRequest();

        await().atMost(PATIENCE).until(() -> bus.about(winner.id()).size() == 1);
        assertThat(orders.findAll()).filteredOn(order -> order.ticketId().equals(ticket.id())).hasSize(1);
    }

    @Test
    void publishesTheEventOfAnOrderWhoseProcessDiedBeforeRelayingIt() {
        // The document as the service writes it, inserted behind Spring Data's back: no relay was triggered,
        // exactly as if the process had died right after the write. The outbox sweep finds it.
        Order written = Order.place(buyer.userId(), ticketInReplica(tickets, "Orphan", "10"), Instant.now(), Duration.ofMinutes(15));
        Document raw = new Document();
        mongo.getConverter().write(written, raw);
        raw.put("version", 0L);
        mongo.getCollection("orders").insertOne(raw);

        await().atMost(PATIENCE).until(() -> bus.about(written.id()).size() == 1);
        assertThat(bus.about(written.id()).getFirst()).isInstanceOf(OrderCreated.class);
        await().atMost(PATIENCE).until(() -> orders.findById(written.id()).orElseThrow().outbox().isEmpty());
    }

    @Test
    void publishesOrderCancelledOnceWhenTheOwnerCancels() {
        Ticket ticket = ticketInReplica(tickets, "Concert", "20");
        OrderView order = client.placed(buyer.cookie(), ticket.id());

        client.cancel(buyer.cookie(), order.id()).expectStatus().isNoContent();
        client.cancel(buyer.cookie(), order.id()).expectStatus().isNoContent();

        await().atMost(PATIENCE).until(() -> bus.about(order.id()).size() >= 2);
        await().during(Duration.ofMillis(700)).atMost(PATIENCE).until(() -> bus.about(order.id()).size() == 2);
        assertThat(bus.about(order.id()).get(1)).isEqualTo(
                new OrderCancelled(order.id(), 1, new OrderCancelled.Ticket(ticket.id())));
    }
}
