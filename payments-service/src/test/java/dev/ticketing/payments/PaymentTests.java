package dev.ticketing.payments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ticketing.events.OrderStatus;
import java.math.BigDecimal;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The life of a payment, its idempotency keys and the events it records, without a database. */
class PaymentTests {

    private static final Instant NOW = Instant.parse("2026-01-01T10:00:00Z");
    private static final Order ORDER = new Order("65f1c0ffee0000000000000a", 0, "65f1c0ffee0000000000000b",
            new BigDecimal("20.5"), OrderStatus.CREATED);

    @Test
    void aNewPaymentIsChargingTheOrdersPriceInCentsWithItsToken() {
        Payment payment = Payment.charge(ORDER, "tok_visa", "usd", NOW, NOW.plusSeconds(30));

        assertThat(payment.status()).isEqualTo(Payment.Status.CHARGING);
        assertThat(payment.amount()).isEqualTo(2050);
        assertThat(payment.token()).isEqualTo("tok_visa");
        assertThat(payment.chargeKey()).isEqualTo(ORDER.id() + "-1");
        assertThat(payment.leaseExpiresAt()).isEqualTo(NOW.plusSeconds(30));
        assertThat(payment.outbox()).isEmpty();
    }

    @Test
    void successDropsTheTokenAndRecordsPaymentCreated() {
        Payment payment = Payment.charge(ORDER, "tok_visa", "usd", NOW, NOW.plusSeconds(30));

        payment.succeed("ch_1", NOW);

        assertThat(payment.status()).isEqualTo(Payment.Status.SUCCEEDED);
        assertThat(payment.token()).isNull();
        assertThat(payment.leaseExpiresAt()).isNull();
        assertThat(payment.outbox()).singleElement().satisfies(entry -> {
            assertThat(entry.subject()).isEqualTo("payment.created");
            assertThat(entry.payload()).contains("\"stripeId\":\"ch_1\"").contains(ORDER.id());
        });
    }

    @Test
    void aDeclinedPaymentIsChargedAgainUnderTheNextAttemptsKey() {
        Payment payment = Payment.charge(ORDER, "tok_chargeDeclined", "usd", NOW, NOW.plusSeconds(30));
        payment.decline(NOW);
        assertThat(payment.token()).isNull();

        payment.chargeAgain("tok_visa", NOW, NOW.plusSeconds(30));

        assertThat(payment.status()).isEqualTo(Payment.Status.CHARGING);
        assertThat(payment.attempt()).isEqualTo(2);
        assertThat(payment.chargeKey()).isEqualTo(ORDER.id() + "-2");
        assertThat(payment.token()).isEqualTo("tok_visa");
    }

    @Test
    void onlyADeclinedPaymentMayBeChargedAgain() {
        Payment charging = Payment.charge(ORDER, "tok_visa", "usd", NOW, NOW.plusSeconds(30));
        assertThatThrownBy(() -> charging.chargeAgain("tok_visa", NOW, NOW)).isInstanceOf(OrderAlreadyPaid.class);
        charging.succeed("ch_1", NOW);
        assertThatThrownBy(() -> charging.chargeAgain("tok_visa", NOW, NOW)).isInstanceOf(OrderAlreadyPaid.class);
    }

    @Test
    void aRefundIsLeasedThenRecordsPaymentRefundedUnderTheOrdersRefundKey() {
        Payment payment = Payment.charge(ORDER, "tok_visa", "usd", NOW, NOW.plusSeconds(30));
        payment.succeed("ch_1", NOW);

        payment.refundDue(NOW, NOW.plusSeconds(30));
        assertThat(payment.leaseExpiresAt()).isEqualTo(NOW.plusSeconds(30));
        payment.refunded(NOW);

        assertThat(payment.status()).isEqualTo(Payment.Status.REFUNDED);
        assertThat(payment.refundKey()).isEqualTo("refund-" + ORDER.id());
        assertThat(payment.leaseExpiresAt()).isNull();
        assertThat(payment.outbox()).extracting(entry -> entry.subject()).containsExactly("payment.created", "payment.refunded");
    }

    @Test
    void refusesToRefundWhatDidNotSucceed() {
        Payment charging = Payment.charge(ORDER, "tok_visa", "usd", NOW, NOW.plusSeconds(30));
        assertThatThrownBy(() -> charging.refunded(NOW)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> charging.refundDue(NOW, NOW)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void amountsAreInTheCurrencysSmallestUnit() {
        assertThat(new Order(ORDER.id(), 0, ORDER.userId(), new BigDecimal("20"), OrderStatus.CREATED).amountIn("usd")).isEqualTo(2000);
        assertThat(new Order(ORDER.id(), 0, ORDER.userId(), new BigDecimal("0.015"), OrderStatus.CREATED).amountIn("usd")).isEqualTo(2);
        assertThat(new Order(ORDER.id(), 0, ORDER.userId(), new BigDecimal("1500"), OrderStatus.CREATED).amountIn("jpy")).isEqualTo(1500);
    }
}
