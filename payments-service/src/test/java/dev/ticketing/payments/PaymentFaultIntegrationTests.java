package dev.ticketing.payments;

import static dev.ticketing.payments.PaymentsClient.orderInReplica;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ticketing.events.OrderStatus;
import dev.ticketing.events.PaymentCreated;
import dev.ticketing.events.testing.EventObserver;
import dev.ticketing.testsupport.NatsServer;
import dev.ticketing.testsupport.service.Instances;
import dev.ticketing.testsupport.service.ServiceInstance;
import dev.ticketing.testsupport.service.ServiceTest;
import dev.ticketing.testsupport.service.Session;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A payment while NATS is away: the card is charged, and the order learns of it when NATS is back. */
@ServiceTest
class PaymentFaultIntegrationTests {

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    /** A NATS server of this class's own, which the test stops and starts, and the instance of the service on it. */
    private static NatsServer nats;
    private static ServiceInstance service;

    @BeforeAll
    static void start(NatsServer nats, Instances instances) {
        PaymentFaultIntegrationTests.nats = nats;
        service = instances.start(nats, "payments_faults");
    }

    @Test
    void chargesWhileNatsIsDownAndAnnouncesThePaymentOnceWhenItReturns() {
        Payments payments = service.bean(Payments.class);
        Session payer = service.signIn();
        Order order = orderInReplica(service.bean(Orders.class), payer.userId(), "25", OrderStatus.CREATED);
        nats.stop();

        String paymentId = new PaymentsClient(service.http()).paid(payer.cookie(), "tok_visa", order.id());

        Payment stored = payments.findById(paymentId).orElseThrow();
        assertThat(stored.status()).isEqualTo(Payment.Status.SUCCEEDED);
        assertThat(stored.outbox()).as("payment.created waits in the payment's outbox").hasSize(1);

        nats.start();
        try (EventObserver bus = new EventObserver(nats.url(), PaymentCreated.class)) {
            await().atMost(PATIENCE).until(() -> bus.about(order.id(), PaymentCreated.class).size() == 1);
            await().during(Duration.ofMillis(700)).atMost(PATIENCE)
                    .until(() -> bus.about(order.id(), PaymentCreated.class).size() == 1);
            assertThat(bus.about(order.id(), PaymentCreated.class).getFirst())
                    .isEqualTo(new PaymentCreated(paymentId, order.id(), stored.chargeId()));
        }
        await().atMost(PATIENCE).until(() -> payments.findById(paymentId).orElseThrow().outbox().isEmpty());
    }
}
