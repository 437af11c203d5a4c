package dev.ticketing.payments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Bad configuration stops start-up with a message naming the property. */
class PaymentsSettingsTests {

    @Test
    void normalisesTheCurrencyAndSelectsStripeOnlyWithAKey() {
        PaymentsSettings sandbox = new PaymentsSettings("USD", Duration.ofSeconds(30), Duration.ofSeconds(5), "  ", "https://api.stripe.com");
        assertThat(sandbox.currency()).isEqualTo("usd");
        assertThat(sandbox.stripe()).isFalse();
        assertThat(new PaymentsSettings("eur", Duration.ofSeconds(30), Duration.ofSeconds(5), "sk_test_1", "https://api.stripe.com")
                .stripe()).isTrue();
    }

    @Test
    void refusesAnUnknownCurrencyAndNonPositiveDurations() {
        assertThatThrownBy(() -> new PaymentsSettings("dollars", Duration.ofSeconds(30), Duration.ofSeconds(5), "", "x"))
                .hasMessageContaining("ticketing.payments.currency");
        assertThatThrownBy(() -> new PaymentsSettings("usd", Duration.ZERO, Duration.ofSeconds(5), "", "x"))
                .hasMessageContaining("ticketing.payments.charge-lease");
        assertThatThrownBy(() -> new PaymentsSettings("usd", Duration.ofSeconds(30), Duration.ofSeconds(-1), "", "x"))
                .hasMessageContaining("ticketing.payments.recovery-interval");
    }
}
