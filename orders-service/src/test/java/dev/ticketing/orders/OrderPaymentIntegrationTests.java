package dev.ticketing.orders;

import static dev.ticketing.orders.OrdersClient.ticketInReplica;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ticketing.events.EventHeaders;
import dev.ticketing.events.OrderCancelled;
import dev.ticketing.events.OrderCompleted;
import dev.ticketing.events.OrderCreated;
import dev.ticketing.events.OrderStatus;
import dev.ticketing.events.PaymentCreated;
import dev.ticketing.events.testing.EventObserver;
import dev.ticketing.testsupport.TestServers;
import dev.ticketing.testsupport.service.Observing;
import dev.ticketing.testsupport.service.ServiceInstance;
import dev.ticketing.testsupport.service.ServiceTest;
import dev.ticketing.testsupport.service.Session;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.Nats;
import io.nats.client.api.MessageInfo;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.bson.types.ObjectId;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.client.RestTestClient;

/** {@code payment.created} on the real bus, published as payments-service would: the order completes once. */
@ServiceTest
class OrderPaymentIntegrationTests {

    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final String DURABLE = "orders-service-payment-created";
    private static EventObserver bus;

    @Autowired
    RestTestClient http;
    @Autowired
    Tickets tickets;

    private OrdersClient client;
    private Session buyer;

    @BeforeAll
    static void watchTheBus(@Observing({OrderCreated.class, OrderCancelled.class, OrderCompleted.class}) EventObserver observer) {
        bus = observer;
        await().atMost(PATIENCE).until(bus::ready);
    }

    @BeforeEach
    void signIn(ServiceInstance service) {
        client = new OrdersClient(http);
        buyer = service.signIn();
    }

    @Test
    void completesAnOrderWhenItsPaymentIsCreatedAndAnnouncesIt() {
        Ticket ticket = ticketInReplica(tickets, "Concert", "20");
        OrderView order = client.placed(buyer.cookie(), ticket.id());

        bus.publish(paymentFor(order));

        await().atMost(PATIENCE).until(() -> shown(order).status() == OrderStatus.COMPLETE);
        assertThat(shown(order).version()).isEqualTo(1);
        await().atMost(PATIENCE).until(() -> bus.about(order.id()).size() >= 2);
        assertThat(bus.about(order.id()).get(1)).isEqualTo(
                new OrderCompleted(order.id(), 1, new OrderCompleted.Ticket(ticket.id())));
    }

    @Test
    void aRepeatedPaymentChangesNothingAndAnnouncesNothing() throws Exception {
        OrderView order = paid();
        PaymentCreated payment = paymentFor(order);

        // Published anew (a new event id, so the server's duplicate window does not drop it): the handler decides.
        bus.publish(payment);
        bus.publish(payment);

        await().atMost(PATIENCE).until(() -> bus.settled(DURABLE));
        assertThat(shown(order).status()).isEqualTo(OrderStatus.COMPLETE);
        assertThat(shown(order).version()).isEqualTo(1);
        await().during(Duration.ofMillis(700)).atMost(PATIENCE).until(() -> bus.about(order.id()).size() == 2);
    }

    @Test
    void aPaymentForACancelledOrderLeavesItCancelled() throws Exception {
        OrderView order = client.placed(buyer.cookie(), ticketInReplica(tickets, "Concert", "20").id());
        client.cancel(buyer.cookie(), order.id()).expectStatus().isNoContent();

        bus.publish(paymentFor(order));

        await().atMost(PATIENCE).until(() -> bus.settled(DURABLE));
        assertThat(shown(order).status()).isEqualTo(OrderStatus.CANCELLED);
        assertThat(shown(order).version()).isEqualTo(1);
        await().during(Duration.ofMillis(700)).atMost(PATIENCE).until(() -> bus.about(order.id()).size() == 2);
        assertThat(bus.about(order.id()).get(1)).isInstanceOf(OrderCancelled.class);
    }

    @Test
    void refusesToCancelAPaidOrder() {
        OrderView order = paid();

        client.cancel(buyer.cookie(), order.id())
                .expectStatus().isBadRequest()
                .expectBody()
                .jsonPath("$.errors.length()").isEqualTo(1)
                .jsonPath("$.errors[0].message").isEqualTo("Cannot cancel a paid order");

        assertThat(shown(order).status()).isEqualTo(OrderStatus.COMPLETE);
        assertThat(shown(order).version()).isEqualTo(1);
        await().during(Duration.ofMillis(700)).atMost(PATIENCE).until(() -> bus.about(order.id()).size() == 2);
    }

    @Test
    void parksAPaymentForAnOrderItNeverStored() throws Exception {
        String unknown = new ObjectId().toHexString();

        bus.publish(new PaymentCreated(new ObjectId().toHexString(), unknown, "ch_unknown"));

        // Rejected: parked on its first delivery, since no retry can make the order exist.
        await().atMost(PATIENCE).until(() -> {
            MessageInfo parked = lastDeadLetter();
            return parked != null && new String(parked.getData(), StandardCharsets.UTF_8).contains(unknown);
        });
        MessageInfo parked = lastDeadLetter();
        assertThat(parked.getHeaders().getFirst(EventHeaders.DEAD_LETTER_DELIVERIES)).isEqualTo("1");
        assertThat(parked.getHeaders().getFirst(EventHeaders.DEAD_LETTER_REASON)).isEqualTo("rejected");
    }

    /** An order placed over HTTP and completed by its payment. */
    private OrderView paid() {
        OrderView order = client.placed(buyer.cookie(), ticketInReplica(tickets, "Concert", "20").id());
        bus.publish(paymentFor(order));
        await().atMost(PATIENCE).until(() -> bus.about(order.id()).size() == 2);
        assertThat(bus.about(order.id()).get(1)).isInstanceOf(OrderCompleted.class);
        return order;
    }

    private static PaymentCreated paymentFor(OrderView order) {
        return new PaymentCreated(new ObjectId().toHexString(), order.id(), "ch_" + order.id());
    }

    private OrderView shown(OrderView order) {
        return client.show(buyer.cookie(), order.id()).expectStatus().isOk()
                .expectBody(OrderView.class).returnResult().getResponseBody();
    }

    private static @Nullable MessageInfo lastDeadLetter() throws Exception {
        try (Connection connection = Nats.connect(TestServers.nats().url())) {
            return connection.jetStreamManagement().getLastMessage("TICKETING_DEAD_LETTERS",
                    "deadletter.orders-service.payment.created");
        } catch (JetStreamApiException noneYet) {
            return null;
        }
    }
}
