package dev.ticketing.tickets;

import static dev.ticketing.tickets.TicketsClient.ticketJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ticketing.events.OrderCancelled;
import dev.ticketing.events.OrderCreated;
import dev.ticketing.events.OrderStatus;
import dev.ticketing.events.TicketCreated;
import dev.ticketing.events.TicketUpdated;
import dev.ticketing.events.VersionedEvent;
import dev.ticketing.events.testing.EventObserver;
import dev.ticketing.testsupport.service.Observing;
import dev.ticketing.testsupport.service.ServiceInstance;
import dev.ticketing.testsupport.service.ServiceTest;
import dev.ticketing.testsupport.service.Session;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.client.RestTestClient;

/** What the tickets service says on the bus, and how it reacts to orders, observed on the real bus. */
@ServiceTest
class TicketEventsIntegrationTests {

    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static EventObserver bus;

    @Autowired
    RestTestClient http;
    @Autowired
    Tickets tickets;

    private ServiceInstance service;
    private TicketsClient client;
    private Session seller;

    @BeforeAll
    static void watchTheBus(@Observing({TicketCreated.class, TicketUpdated.class}) EventObserver observer) {
        bus = observer;
        await().atMost(PATIENCE).until(bus::ready);
    }

    @BeforeEach
    void signIn(ServiceInstance service) {
        this.service = service;
        client = new TicketsClient(http);
        seller = service.signIn();
    }

    @Test
    void publishesTicketCreated() {
        TicketView ticket = client.created(seller.cookie(), "Concert", "20");

        await().atMost(PATIENCE).until(() -> !bus.about(ticket.id()).isEmpty());
        assertThat(bus.about(ticket.id())).containsExactly(
                new TicketCreated(ticket.id(), 0, "Concert", new BigDecimal("20"), seller.userId()));
    }

    @Test
    void publishesExactlyOneTicketUpdatedPerEdit() {
        TicketView ticket = client.created(seller.cookie(), "Concert", "20");
        client.update(seller.cookie(), ticket.id(), ticketJson("Opera", "30")).expectStatus().isOk();

        await().atMost(PATIENCE).until(() -> bus.about(ticket.id()).size() >= 2);
        await().during(Duration.ofMillis(500)).atMost(PATIENCE).until(() -> bus.about(ticket.id()).size() == 2);
        assertThat(bus.about(ticket.id()).get(1)).isEqualTo(
                new TicketUpdated(ticket.id(), 1, "Opera", new BigDecimal("30"), seller.userId(), null));
    }

    @Test
    void rejectedEditPublishesNothing() {
        TicketView ticket = client.created(seller.cookie(), "Concert", "20");
        client.update(service.signIn().cookie(), ticket.id(), ticketJson("Stolen", "1")).expectStatus().isUnauthorized();
        client.update(seller.cookie(), ticket.id(), ticketJson("", "1")).expectStatus().isBadRequest();

        await().during(Duration.ofMillis(700)).atMost(PATIENCE).until(() -> bus.about(ticket.id()).size() == 1);
    }

    @Test
    void reservesTicketForCreatedOrderAndPublishesItsOrderId() {
        TicketView ticket = client.created(seller.cookie(), "Concert", "20");
        String orderId = new ObjectId().toHexString();

        bus.publish(orderCreated(orderId, ticket));

        await().atMost(PATIENCE).until(() -> orderIdOf(ticket.id()) != null);
        assertThat(orderIdOf(ticket.id())).isEqualTo(orderId);
        await().atMost(PATIENCE).until(() -> bus.about(ticket.id()).size() == 2);
        assertThat(bus.about(ticket.id()).get(1)).isEqualTo(
                new TicketUpdated(ticket.id(), 1, "Concert", new BigDecimal("20"), seller.userId(), orderId));
        client.show(ticket.id()).expectBody().jsonPath("$.orderId").isEqualTo(orderId);
        await().atMost(PATIENCE).until(() -> bus.settled("tickets-service-order-created"));
    }

    @Test
    void releasesTicketWhenItsOrderIsCancelled() {
        TicketView ticket = client.created(seller.cookie(), "Concert", "20");
        String orderId = new ObjectId().toHexString();
        bus.publish(orderCreated(orderId, ticket));
        await().atMost(PATIENCE).until(() -> orderId.equals(orderIdOf(ticket.id())));

        bus.publish(new OrderCancelled(orderId, 1, new OrderCancelled.Ticket(ticket.id())));

        await().atMost(PATIENCE).until(() -> bus.about(ticket.id()).size() == 3);
        assertThat(orderIdOf(ticket.id())).isNull();
        assertThat(bus.about(ticket.id()).get(2)).isEqualTo(
                new TicketUpdated(ticket.id(), 2, "Concert", new BigDecimal("20"), seller.userId(), null));
        await().atMost(PATIENCE).until(() -> bus.settled("tickets-service-order-cancelled"));
        client.update(seller.cookie(), ticket.id(), ticketJson("Editable again", "25")).expectStatus().isOk();
    }

    @Test
    void handlesRepeatedOrderEventsOnce() {
        TicketView ticket = client.created(seller.cookie(), "Concert", "20");
        String orderId = new ObjectId().toHexString();
        OrderCreated created = orderCreated(orderId, ticket);
        OrderCancelled cancelled = new OrderCancelled(orderId, 1, new OrderCancelled.Ticket(ticket.id()));

        bus.publish(created);
        bus.publish(created);
        await().atMost(PATIENCE).until(() -> orderId.equals(orderIdOf(ticket.id())));
        bus.publish(cancelled);
        bus.publish(cancelled);
        bus.publish(created); // a late repeat of a released order must not reserve the ticket again

        await().atMost(PATIENCE).until(() -> bus.about(ticket.id()).size() >= 3);
        await().atMost(PATIENCE).until(() -> bus.settled("tickets-service-order-created")
                && bus.settled("tickets-service-order-cancelled"));
        assertThat(bus.about(ticket.id())).extracting(VersionedEvent::version).containsExactly(0L, 1L, 2L);
        assertThat(tickets.findById(ticket.id()).orElseThrow().version()).isEqualTo(2);
        assertThat(orderIdOf(ticket.id())).isNull();
    }

    @Test
    void waitsForTicketThatIsNotStoredYet() {
        String ticketId = new ObjectId().toHexString();
        String orderId = new ObjectId().toHexString();
        TicketView notYetStored = new TicketView(ticketId, "Late", BigDecimal.TEN, seller.userId(), 0, null);

        bus.publish(orderCreated(orderId, notYetStored));
        await().during(Duration.ofMillis(500)).atMost(PATIENCE).until(() -> tickets.findById(ticketId).isEmpty());
        Ticket late = new Ticket(ticketId, null, "Late", BigDecimal.TEN, seller.userId(), null, null, null,
                Instant.now());
        tickets.save(late);

        await().atMost(PATIENCE).until(() -> orderId.equals(orderIdOf(ticketId)));
    }

    @Test
    void cancellationThatArrivesBeforeItsOrderWaitsForIt() {
        TicketView ticket = client.created(seller.cookie(), "Concert", "20");
        String orderId = new ObjectId().toHexString();

        bus.publish(new OrderCancelled(orderId, 1, new OrderCancelled.Ticket(ticket.id())));
        await().during(Duration.ofMillis(400)).atMost(PATIENCE).until(() -> bus.about(ticket.id()).size() == 1);
        bus.publish(orderCreated(orderId, ticket));

        // Reserved, then released: the ticket ends free, and both changes are on the bus in order.
        await().atMost(PATIENCE).until(() -> bus.about(ticket.id()).size() == 3);
        assertThat(bus.about(ticket.id()).get(1)).extracting(event -> ((TicketUpdated) event).orderId()).isEqualTo(orderId);
        assertThat(bus.about(ticket.id()).get(2)).extracting(event -> ((TicketUpdated) event).orderId()).isNull();
        assertThat(orderIdOf(ticket.id())).isNull();
    }

    @Test
    void cancellationOfAnotherOrderLeavesTheReservationAlone() {
        TicketView ticket = client.created(seller.cookie(), "Concert", "20");
        String holder = new ObjectId().toHexString();
        bus.publish(orderCreated(holder, ticket));
        await().atMost(PATIENCE).until(() -> holder.equals(orderIdOf(ticket.id())));

        bus.publish(new OrderCancelled(new ObjectId().toHexString(), 1, new OrderCancelled.Ticket(ticket.id())));

        await().during(Duration.ofMillis(700)).atMost(PATIENCE).until(() -> holder.equals(orderIdOf(ticket.id())));
        assertThat(bus.about(ticket.id())).hasSize(2);
    }

    private static OrderCreated orderCreated(String orderId, TicketView ticket) {
        return new OrderCreated(orderId, 0, OrderStatus.CREATED, new ObjectId().toHexString(),
                Instant.now().plusSeconds(900), new OrderCreated.Ticket(ticket.id(), ticket.price()));
    }

    private String orderIdOf(String ticketId) {
        return tickets.findById(ticketId).map(Ticket::orderId).orElse(null);
    }
}
