package dev.ticketing.payments;

import static dev.ticketing.payments.PaymentsClient.orderCreated;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ticketing.events.OrderCancelled;
import dev.ticketing.events.OrderCreated;
import dev.ticketing.events.OrderStatus;
import dev.ticketing.events.PaymentCreated;
import dev.ticketing.events.PaymentRefunded;
import dev.ticketing.events.testing.EventObserver;
import dev.ticketing.testsupport.service.Observing;
import dev.ticketing.testsupport.service.ServiceInstance;
import dev.ticketing.testsupport.service.ServiceTest;
import dev.ticketing.testsupport.service.Session;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.client.RestTestClient;

/**
 * A cancellation that lands after the payment succeeded is refunded by the handler; what a killed replica or an
 * unanswered provider left in flight is finished by the recovery, with the same idempotency key, so never twice.
 */
@ServiceTest
class RefundAndRecoveryIntegrationTests {

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

    private PaymentsClient client;
    private Session payer;

    @BeforeAll
    static void watch(@Observing({PaymentCreated.class, PaymentRefunded.class}) EventObserver watch) {
        bus = watch;
        await().atMost(PATIENCE).until(bus::ready);
    }

    @BeforeEach
    void signIn(ServiceInstance service) {
        client = new PaymentsClient(http);
        payer = service.signIn();
    }

    @Test
    void refundsAPaymentWhoseOrderIsCancelledAfterwards() {
        OrderCreated created = orderCreated(payer.userId(), "20");
        bus.publish(created);
        await().atMost(PATIENCE).until(() -> orders.findById(created.id()).isPresent());
        String paymentId = client.paid(payer.cookie(), "tok_visa", created.id());
        String chargeId = payments.findById(paymentId).orElseThrow().chargeId();

        bus.publish(new OrderCancelled(created.id(), 1, new OrderCancelled.Ticket(created.ticket().id())));

        await().atMost(PATIENCE).until(() -> payments.findById(paymentId).orElseThrow().status() == Payment.Status.REFUNDED);
        await().atMost(PATIENCE).until(() -> bus.about(created.id(), PaymentRefunded.class).size() == 1);
        assertThat(sandbox().refunds()).filteredOn(refund -> refund.chargeId().equals(chargeId))
                .singleElement().satisfies(refund -> assertThat(refund.key()).isEqualTo("refund-" + created.id()));
        client.show(payer.cookie(), paymentId).expectStatus().isOk().expectBody().jsonPath("$.status").isEqualTo("refunded");
        assertThat(payments.findById(paymentId).orElseThrow().leaseExpiresAt()).isNull();
    }

    @Test
    void finishesAChargeLeftInFlightWithTheSameKeyAndChargesOnce() {
        Order order = PaymentsClient.orderInReplica(orders, payer.userId(), "12.34", OrderStatus.CREATED);
        Instant now = Instant.now();
        // A replica claimed the payment and the provider charged the card; the replica was killed before it wrote that.
        Payment charging = Payment.charge(order, "tok_visa", "usd", now.minusSeconds(60), now.minusSeconds(30));
        payments.insert(charging);
        String chargeId = provider.charge("tok_visa", 1234, "usd", order.id() + "-1");

        await().atMost(PATIENCE).until(() -> payments.findById(charging.id()).orElseThrow().status() == Payment.Status.SUCCEEDED);
        Payment recovered = payments.findById(charging.id()).orElseThrow();
        assertThat(recovered.chargeId()).as("the provider's first answer, replayed by the key").isEqualTo(chargeId);
        assertThat(recovered.token()).isNull();
        assertThat(recovered.leaseExpiresAt()).isNull();
        assertThat(sandbox().charges()).filteredOn(charge -> charge.key().startsWith(order.id())).hasSize(1);
        await().atMost(PATIENCE).until(() -> bus.about(order.id(), PaymentCreated.class).size() == 1);
        assertThat(bus.about(order.id(), PaymentCreated.class))
                .containsExactly(new PaymentCreated(charging.id(), order.id(), chargeId));
    }

    @Test
    void leavesAChargeWithinItsLeaseToTheCallThatMadeIt() {
        Order order = PaymentsClient.orderInReplica(orders, payer.userId(), "20", OrderStatus.CREATED);
        Instant now = Instant.now();
        Payment charging = Payment.charge(order, "tok_visa", "usd", now, now.plusSeconds(60));
        payments.insert(charging);

        await().during(Duration.ofSeconds(1)).atMost(PATIENCE)
                .until(() -> payments.findById(charging.id()).orElseThrow().status() == Payment.Status.CHARGING);
        assertThat(sandbox().charges()).filteredOn(charge -> charge.key().startsWith(order.id())).isEmpty();
    }

    @Test
    void finishesARefundLeftInFlight() {
        Order order = PaymentsClient.orderInReplica(orders, payer.userId(), "20", OrderStatus.CANCELLED);
        Instant now = Instant.now();
        Payment payment = Payment.charge(order, "tok_visa", "usd", now.minusSeconds(90), now.minusSeconds(60));
        payment.succeed(provider.charge("tok_visa", 2000, "usd", order.id() + "-1"), now.minusSeconds(60));
        // The refund was asked for, and its replica was killed before the provider answered.
        payment.refundDue(now.minusSeconds(60), now.minusSeconds(30));
        payments.insert(payment);

        await().atMost(PATIENCE).until(() -> payments.findById(payment.id()).orElseThrow().status() == Payment.Status.REFUNDED);
        assertThat(sandbox().refunds()).filteredOn(refund -> refund.key().equals("refund-" + order.id())).hasSize(1);
        await().atMost(PATIENCE).until(() -> bus.about(order.id(), PaymentRefunded.class).size() == 1);
    }

    private SandboxProvider sandbox() {
        return (SandboxProvider) provider;
    }
}
