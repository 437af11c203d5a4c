package dev.ticketing.payments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The sandbox's test tokens and its memory of idempotency keys. */
class SandboxProviderTests {

    private final SandboxProvider sandbox = new SandboxProvider();

    @Test
    void chargesAnyTestTokenItDoesNotDecline() {
        assertThat(sandbox.charge("tok_visa", 2000, "usd", "a-1")).startsWith("ch_sandbox_");
        assertThat(sandbox.charge("tok_mastercard", 2000, "usd", "b-1")).startsWith("ch_sandbox_");
        assertThat(sandbox.charges()).hasSize(2);
    }

    @Test
    void declinesWithTheCardNetworksMessages() {
        assertThatThrownBy(() -> sandbox.charge("tok_chargeDeclined", 2000, "usd", "a-1"))
                .isInstanceOf(PaymentProvider.CardDeclined.class).hasMessage("Your card was declined");
        assertThatThrownBy(() -> sandbox.charge("tok_insufficientFunds", 2000, "usd", "b-1"))
                .isInstanceOf(PaymentProvider.CardDeclined.class).hasMessage("Your card has insufficient funds");
        assertThatThrownBy(() -> sandbox.charge("not-a-token", 2000, "usd", "c-1"))
                .isInstanceOf(PaymentProvider.CardDeclined.class);
    }

    @Test
    void answersARepeatedKeyWithTheFirstOutcomeWithoutChargingAgain() {
        String first = sandbox.charge("tok_visa", 2000, "usd", "a-1");

        assertThat(sandbox.charge("tok_visa", 2000, "usd", "a-1")).isEqualTo(first);
        assertThat(sandbox.charges()).hasSize(1);

        assertThatThrownBy(() -> sandbox.charge("tok_chargeDeclined", 2000, "usd", "b-1")).isInstanceOf(PaymentProvider.CardDeclined.class);
        assertThatThrownBy(() -> sandbox.charge("tok_visa", 2000, "usd", "b-1"))
                .as("a declined attempt stays declined under its key").isInstanceOf(PaymentProvider.CardDeclined.class);
    }

    @Test
    void refundsOncePerKey() {
        String charge = sandbox.charge("tok_visa", 2000, "usd", "a-1");

        sandbox.refund(charge, "refund-a");
        sandbox.refund(charge, "refund-a");

        assertThat(sandbox.refunds()).containsExactly(new SandboxProvider.Refund("refund-a", charge));
    }
}
