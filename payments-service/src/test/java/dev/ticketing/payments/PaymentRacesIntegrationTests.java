package dev.ticketing.payments;

import static dev.ticketing.payments.PaymentsClient.orderCreated;
import static dev.ticketing.payments.PaymentsClient.paymentJson;
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
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.test.web.servlet.client.EntityExchangeResult;
import org.springframework.test.web.servlet.client.RestTestClient;

/**
 * The races the database and the idempotency keys settle, forced rather than hoped for: twenty submits for one order,
 * an order cancelled (expired) while its card is being charged, a provider whose answer is lost, a refund it fails. The provider is
 * the sandbox behind a {@link Gate} that can hold a charge or fail it.
 */
@ServiceTest
class PaymentRacesIntegrationTests {

    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static EventObserver bus;

    @Autowired
    RestTestClient http;
    @Autowired
    Orders orders;
    @Autowired
    Payments payments;
    @Autowired
    Gate gate;
    @Autowired
    MeterRegistry meters;
    @Autowired
    @Qualifier("paymentProvider")
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

    @AfterEach
    void openTheGate() {
        gate.reset();
    }

    @Test
    void twentySimultaneousSubmitsChargeOnce() throws Exception {
        Order order = PaymentsClient.orderInReplica(orders, payer.userId(), "20", OrderStatus.CREATED);
        int submits = 20;
        CountDownLatch start = new CountDownLatch(1);
        List<Future<EntityExchangeResult<String>>> answers = new ArrayList<>();
        try (ExecutorService threads = Executors.newFixedThreadPool(submits)) {
            for (int i = 0; i < submits; i++) {
                answers.add(threads.submit(() -> {
                    start.await();
                    return client.pay(payer.cookie(), paymentJson("tok_visa", order.id()))
                            .expectBody(String.class).returnResult();
                }));
            }
            start.countDown();
        }

        List<EntityExchangeResult<String>> results = new ArrayList<>();
        for (Future<EntityExchangeResult<String>> answer : answers) {
            results.add(answer.get());
        }
        assertThat(results).filteredOn(result -> result.getStatus().value() == 201).hasSize(1);
        assertThat(results).filteredOn(result -> result.getStatus().value() == 400)
                .hasSize(submits - 1)
                .allSatisfy(result -> assertThat(result.getResponseBody()).contains("Order is already paid"));
        assertThat(chargesOf(order.id())).hasSize(1);
        await().atMost(PATIENCE).until(() -> bus.about(order.id(), PaymentCreated.class).size() == 1);
    }

    @Test
    void anOrderCancelledWhileItsCardIsChargedEndsRefunded() throws Exception {
        OrderCreated created = orderCreated(payer.userId(), "20");
        bus.publish(created);
        await().atMost(PATIENCE).until(() -> orders.findById(created.id()).isPresent());
        gate.holdCharges();

        CompletableFuture<EntityExchangeResult<String>> answer = CompletableFuture.supplyAsync(
                () -> client.pay(payer.cookie(), paymentJson("tok_visa", created.id())).expectBody(String.class).returnResult());
        assertThat(gate.entered.await(PATIENCE.toSeconds(), TimeUnit.SECONDS)).as("the charge reached the provider").isTrue();
        // The order expires while the provider is charging the card.
        bus.publish(new OrderCancelled(created.id(), 1, new OrderCancelled.Ticket(created.ticket().id())));
        await().atMost(PATIENCE).until(() -> orders.findById(created.id()).orElseThrow().cancelled());
        gate.release.countDown();

        // The POST saw the cancellation after its charge: it refunded and says so.
        EntityExchangeResult<String> result = answer.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        assertThat(result.getStatus().value()).isEqualTo(400);
        assertThat(result.getResponseBody()).contains("Cannot pay for an cancelled order");
        Payment payment = payments.findByOrderId(created.id()).orElseThrow();
        assertThat(payment.status()).isEqualTo(Payment.Status.REFUNDED);
        assertThat(sandbox().refunds()).filteredOn(refund -> refund.chargeId().equals(payment.chargeId())).hasSize(1);
        await().atMost(PATIENCE).until(() -> bus.about(created.id(), PaymentRefunded.class).size() == 1);
        assertThat(bus.about(created.id(), PaymentRefunded.class)).containsExactly(new PaymentRefunded(payment.id(), created.id()));
        assertThat(bus.about(created.id(), PaymentCreated.class))
                .as("the charge happened: the orders service learns of it and keeps the order cancelled").hasSize(1);
        await().atMost(PATIENCE).until(() -> bus.settled("payments-service-order-cancelled"));
        assertThat(sandbox().refunds()).filteredOn(refund -> refund.chargeId().equals(payment.chargeId())).hasSize(1);
    }

    @Test
    void anUnknownOutcomeAnswersServiceUnavailableAndKeepsTheTokenForTheRecovery() {
        Order order = PaymentsClient.orderInReplica(orders, payer.userId(), "20", OrderStatus.CREATED);
        gate.failCharges();

        client.pay(payer.cookie(), paymentJson("tok_visa", order.id()))
                .expectStatus().isEqualTo(503)
                .expectBody().jsonPath("$.errors[0].message").isEqualTo("Something went wrong");

        Payment charging = payments.findByOrderId(order.id()).orElseThrow();
        assertThat(charging.status()).isEqualTo(Payment.Status.CHARGING);
        assertThat(charging.token()).isEqualTo("tok_visa");
        assertThat(charging.leaseExpiresAt()).isNotNull();
        // Until the recovery settles it, another submit would risk a second charge: it is refused.
        gate.reset();
        client.pay(payer.cookie(), paymentJson("tok_visa", order.id()))
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].message").isEqualTo("Order is already paid");
    }

    @Test
    void aRefundTheProviderFailsIsRetriedUntilItIsDone() {
        OrderCreated created = orderCreated(payer.userId(), "20");
        bus.publish(created);
        await().atMost(PATIENCE).until(() -> orders.findById(created.id()).isPresent());
        String paymentId = client.paid(payer.cookie(), "tok_visa", created.id());
        gate.failRefunds();
        double failedBefore = failedCancellations();

        bus.publish(new OrderCancelled(created.id(), 1, new OrderCancelled.Ticket(created.ticket().id())));

        // The handler's refund failed: the cancellation comes back, and the payment is leased for the recovery.
        await().atMost(PATIENCE).until(() -> failedCancellations() > failedBefore);
        Payment due = payments.findById(paymentId).orElseThrow();
        assertThat(due.status()).isEqualTo(Payment.Status.SUCCEEDED);
        assertThat(due.leaseExpiresAt()).isNotNull();
        gate.reset();

        // A redelivery (or, had the bus parked it, the recovery after the lease) refunds it, once.
        await().atMost(PATIENCE).until(() -> payments.findById(paymentId).orElseThrow().status() == Payment.Status.REFUNDED);
        assertThat(sandbox().refunds()).filteredOn(refund -> refund.key().equals("refund-" + created.id())).hasSize(1);
        await().atMost(PATIENCE).until(() -> bus.about(created.id(), PaymentRefunded.class).size() == 1);
    }

    private double failedCancellations() {
        var counter = meters.find("ticketing.events.handled").tag("subject", "order.cancelled").tag("outcome", "failed")
                .counter();
        return counter == null ? 0 : counter.count();
    }

    private SandboxProvider sandbox() {
        return (SandboxProvider) provider;
    }

    private List<SandboxProvider.Charge> chargesOf(String orderId) {
        return sandbox().charges().stream().filter(charge -> charge.key().startsWith(orderId)).toList();
    }

    /** The sandbox, with a gate in front of its charges: open, holding each charge until released, or failing them. */
    static final class Gate implements PaymentProvider {

        private enum Mode { OPEN, HOLD, FAIL }

        private final PaymentProvider sandbox;
        private final AtomicReference<Mode> mode = new AtomicReference<>(Mode.OPEN);
        private volatile boolean failRefunds;
        volatile CountDownLatch entered = new CountDownLatch(1);
        volatile CountDownLatch release = new CountDownLatch(1);

        Gate(PaymentProvider sandbox) {
            this.sandbox = sandbox;
        }

        void holdCharges() {
            entered = new CountDownLatch(1);
            release = new CountDownLatch(1);
            mode.set(Mode.HOLD);
        }

        void failCharges() {
            mode.set(Mode.FAIL);
        }

        void failRefunds() {
            failRefunds = true;
        }

        void reset() {
            mode.set(Mode.OPEN);
            failRefunds = false;
            release.countDown();
        }

        @Override
        public String charge(String token, long amountInCents, String currency, String idempotencyKey) {
            switch (mode.get()) {
                case HOLD -> {
                    entered.countDown();
                    try {
                        if (!release.await(PATIENCE.toSeconds(), TimeUnit.SECONDS)) {
                            throw new IllegalStateException("the test never released the charge");
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException(e);
                    }
                }
                case FAIL -> throw new ProviderUnavailable("connection reset (the gate)", null);
                case OPEN -> { }
            }
            return sandbox.charge(token, amountInCents, currency, idempotencyKey);
        }

        @Override
        public void refund(String chargeId, String idempotencyKey) {
            if (failRefunds) {
                throw new ProviderUnavailable("connection reset (the gate)", null);
            }
            sandbox.refund(chargeId, idempotencyKey);
        }
    }

    @TestConfiguration(proxyBeanMethods = false)
    static class GateConfiguration {

        @Bean
        @Primary
        Gate gate(@Qualifier("paymentProvider") PaymentProvider sandbox) {
            return new Gate(sandbox);
        }
    }
}
