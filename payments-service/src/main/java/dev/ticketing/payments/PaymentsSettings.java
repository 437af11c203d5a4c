package dev.ticketing.payments;

import java.time.Duration;
import java.util.Currency;
import java.util.Locale;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Configuration of payments ({@code ticketing.payments.*}), checked when the record is built so that a bad value
 * stops start-up with a message naming it.
 *
 * @param currency ISO 4217 code the orders' prices are charged in, lower case as Stripe writes it
 * @param chargeLease how long a charge or refund may stay unanswered before the recovery repeats it (same key)
 * @param recoveryInterval how often the recovery looks for payments past their lease
 * @param stripeKey Stripe's secret key ({@code STRIPE_KEY}); blank selects the sandbox provider
 * @param stripeApiBase where the Stripe provider sends its requests (a stand-in server in tests)
 */
@ConfigurationProperties("ticketing.payments")
record PaymentsSettings(
        @DefaultValue("usd") String currency,
        @DefaultValue("2m") Duration chargeLease,
        @DefaultValue("5s") Duration recoveryInterval,
        @DefaultValue("") String stripeKey,
        @DefaultValue("https://api.stripe.com") String stripeApiBase) {

    PaymentsSettings {
        try {
            currency = Currency.getInstance(currency.toUpperCase(Locale.ROOT)).getCurrencyCode().toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("ticketing.payments.currency must be an ISO 4217 code such as usd, not " + currency);
        }
        if (chargeLease == null || !chargeLease.isPositive()) {
            throw new IllegalArgumentException("ticketing.payments.charge-lease must be a positive duration, e.g. 2m");
        }
        if (recoveryInterval == null || !recoveryInterval.isPositive()) {
            throw new IllegalArgumentException("ticketing.payments.recovery-interval must be a positive duration");
        }
        stripeKey = stripeKey == null ? "" : stripeKey.strip();
    }

    /** Whether the real Stripe provider is used. */
    boolean stripe() {
        return !stripeKey.isEmpty();
    }
}
