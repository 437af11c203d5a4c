package dev.ticketing.payments;

import static dev.ticketing.payments.PaymentsClient.orderInReplica;
import static dev.ticketing.payments.PaymentsClient.paymentJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ticketing.events.OrderStatus;
import dev.ticketing.events.PaymentCreated;
import dev.ticketing.events.PaymentRefunded;
import dev.ticketing.events.testing.EventObserver;
import dev.ticketing.testsupport.service.Observing;
import dev.ticketing.testsupport.service.ServiceInstance;
import dev.ticketing.testsupport.service.ServiceTest;
import dev.ticketing.testsupport.service.Session;
import java.time.Duration;
import java.util.List;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.client.RestTestClient;

/**
 * {@code POST /api/payments} and {@code GET /api/payments/:id} against the real database, bus and the sandbox
 * provider: every answer of the contract, in its order. What the routes refuse before reading an order is in
 * {@link PaymentRoutesWebTests}.
 */
@ServiceTest
class PaymentRoutesIntegrationTests {

    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static EventObserver bus;

    @Autowired
    RestTestClient http;
    @Autowired
    Orders orders;
    @Autowired
    Payments payments;
    @Autowired
    PaymentProvider provider;

    private ServiceInstance service;
    private PaymentsClient client;
    private Session payer;

    @BeforeAll
    static void watch(@Observing({PaymentCreated.class, PaymentRefunded.class}) EventObserver watch) {
        bus = watch;
        await().atMost(PATIENCE).until(bus::ready);
    }

    @BeforeEach
    void signIn(ServiceInstance service) {
        this.service = service;
        client = new PaymentsClient(http);
        payer = service.signIn();
    }

    @Test
    void chargesThePriceInCentsOnceAndEmitsPaymentCreatedWithTheChargeId() {
        Order order = orderInReplica(orders, payer.userId(), "20.5", OrderStatus.CREATED);

        String paymentId = client.paid(payer.cookie(), "tok_visa", order.id());

        Payment payment = payments.findById(paymentId).orElseThrow();
        assertThat(payment.status()).isEqualTo(Payment.Status.SUCCEEDED);
        assertThat(payment.orderId()).isEqualTo(order.id());
        assertThat(payment.amount()).isEqualTo(2050);
        assertThat(payment.currency()).isEqualTo("usd");
        assertThat(payment.token()).as("the token is dropped once settled").isNull();
        List<SandboxProvider.Charge> charges = chargesOf(order.id());
        assertThat(charges).singleElement().satisfies(charge -> {
            assertThat(charge.key()).isEqualTo(order.id() + "-1");
            assertThat(charge.amount()).isEqualTo(2050);
            assertThat(charge.chargeId()).isEqualTo(payment.chargeId());
        });
        await().atMost(PATIENCE).until(() -> !bus.about(order.id(), PaymentCreated.class).isEmpty());
        assertThat(bus.about(order.id(), PaymentCreated.class))
                .containsExactly(new PaymentCreated(paymentId, order.id(), payment.chargeId()));
        await().atMost(PATIENCE).until(() -> payments.findById(paymentId).orElseThrow().outbox().isEmpty());
    }

    @Test
    void returnsNotFoundForAnOrderTheReplicaDoesNotHold() {
        client.pay(payer.cookie(), paymentJson("tok_visa", new ObjectId().toHexString()))
                .expectStatus().isNotFound()
                .expectBody().jsonPath("$.errors[0].message").isEqualTo("Not Found");
    }

    @Test
    void refusesToPayAnotherUsersOrderAndChargesNothing() {
        Order order = orderInReplica(orders, service.signIn().userId(), "20", OrderStatus.CREATED);

        client.pay(payer.cookie(), paymentJson("tok_visa", order.id()))
                .expectStatus().isUnauthorized()
                .expectBody().jsonPath("$.errors[0].message").isEqualTo("Not authorized");
        assertThat(payments.findByOrderId(order.id())).isEmpty();
        assertThat(chargesOf(order.id())).isEmpty();
    }

    @Test
    void refusesACancelledOrder() {
        Order order = orderInReplica(orders, payer.userId(), "20", OrderStatus.CANCELLED);

        client.pay(payer.cookie(), paymentJson("tok_visa", order.id()))
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].message").isEqualTo("Cannot pay for an cancelled order");
        assertThat(payments.findByOrderId(order.id())).isEmpty();
    }

    @Test
    void refusesACompleteOrderAsAlreadyPaid() {
        Order order = orderInReplica(orders, payer.userId(), "20", OrderStatus.COMPLETE);

        client.pay(payer.cookie(), paymentJson("tok_visa", order.id()))
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].message").isEqualTo("Order is already paid");
        assertThat(payments.findByOrderId(order.id())).isEmpty();
    }

    @Test
    void refusesASecondPaymentAndChargesOnce() {
        Order order = orderInReplica(orders, payer.userId(), "20", OrderStatus.CREATED);
        String first = client.paid(payer.cookie(), "tok_visa", order.id());

        client.pay(payer.cookie(), paymentJson("tok_mastercard", order.id()))
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].message").isEqualTo("Order is already paid");
        assertThat(chargesOf(order.id())).hasSize(1);
        assertThat(payments.findByOrderId(order.id()).orElseThrow().id()).isEqualTo(first);
    }

    @Test
    void answersTheProvidersDeclineAndLeavesTheOrderPayable() {
        Order order = orderInReplica(orders, payer.userId(), "20", OrderStatus.CREATED);

        client.pay(payer.cookie(), paymentJson("tok_chargeDeclined", order.id()))
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].message").isEqualTo("Your card was declined");
        Payment declined = payments.findByOrderId(order.id()).orElseThrow();
        assertThat(declined.status()).isEqualTo(Payment.Status.DECLINED);
        assertThat(declined.token()).isNull();

        String paymentId = client.paid(payer.cookie(), "tok_visa", order.id());

        Payment paid = payments.findById(paymentId).orElseThrow();
        assertThat(paid.id()).as("the same payment, charged again").isEqualTo(declined.id());
        assertThat(paid.status()).isEqualTo(Payment.Status.SUCCEEDED);
        assertThat(paid.attempt()).isEqualTo(2);
        assertThat(chargesOf(order.id())).extracting(SandboxProvider.Charge::key)
                .containsExactlyInAnyOrder(order.id() + "-1", order.id() + "-2");
        await().atMost(PATIENCE).until(() -> bus.about(order.id(), PaymentCreated.class).size() == 1);
    }

    @Test
    void answersInsufficientFundsWithTheProvidersMessage() {
        Order order = orderInReplica(orders, payer.userId(), "20", OrderStatus.CREATED);

        client.pay(payer.cookie(), paymentJson("tok_insufficientFunds", order.id()))
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].message").isEqualTo("Your card has insufficient funds");
    }

    @Test
    void checksOwnerBeforeStatusAndStatusBeforeThePayment() {
        Order othersCancelled = orderInReplica(orders, service.signIn().userId(), "20", OrderStatus.CANCELLED);
        client.pay(payer.cookie(), paymentJson("tok_visa", othersCancelled.id())).expectStatus().isUnauthorized();

        Order paidThenCancelled = orderInReplica(orders, payer.userId(), "20", OrderStatus.CREATED);
        client.paid(payer.cookie(), "tok_visa", paidThenCancelled.id());
        orders.advance(paidThenCancelled.id(), 1, OrderStatus.CANCELLED, false);
        client.pay(payer.cookie(), paymentJson("tok_visa", paidThenCancelled.id()))
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].message").isEqualTo("Cannot pay for an cancelled order");

        client.pay(payer.cookie(), paymentJson("", new ObjectId().toHexString()))
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].message").isEqualTo("Token is required");
    }

    @Test
    void showsAPaymentToItsPayerOnly() {
        Order order = orderInReplica(orders, payer.userId(), "20", OrderStatus.CREATED);
        String paymentId = client.paid(payer.cookie(), "tok_visa", order.id());

        client.show(payer.cookie(), paymentId).expectStatus().isOk()
                .expectBody()
                .jsonPath("$.id").isEqualTo(paymentId)
                .jsonPath("$.orderId").isEqualTo(order.id())
                .jsonPath("$.status").isEqualTo("succeeded");
        client.show(service.signIn().cookie(), paymentId).expectStatus().isUnauthorized()
                .expectBody().jsonPath("$.errors[0].message").isEqualTo("Not authorized");
        client.show(payer.cookie(), new ObjectId().toHexString()).expectStatus().isNotFound()
                .expectBody().jsonPath("$.errors[0].message").isEqualTo("Not Found");
    }

    @Test
    void refusesAHugeBodyWithoutChargingAnything() {
        Order order = orderInReplica(orders, payer.userId(), "20", OrderStatus.CREATED);
        String huge = "{\"token\":\"tok_" + "x".repeat(2_000_000) + "\",\"orderId\":\"" + order.id() + "\"}";

        client.pay(payer.cookie(), huge).expectStatus().isEqualTo(413)
                .expectBody().jsonPath("$.errors[0].message").isNotEmpty();
        assertThat(payments.findByOrderId(order.id())).isEmpty();
    }

    private List<SandboxProvider.Charge> chargesOf(String orderId) {
        return ((SandboxProvider) provider).charges().stream().filter(charge -> charge.key().startsWith(orderId)).toList();
    }
}
