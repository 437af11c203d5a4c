package dev.ticketing.payments;

import dev.ticketing.web.errors.ErrorStatuses;
import java.time.Clock;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;

/** Every {@code /api/payments} route needs a session, so no {@code OpenRoutes} are declared. */
@Configuration(proxyBeanMethods = false)
class PaymentsConfiguration {

    private static final Logger log = LoggerFactory.getLogger(PaymentsConfiguration.class);

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    /** Stripe when a key is configured, else the sandbox, which needs no network. */
    @Bean
    PaymentProvider paymentProvider(PaymentsSettings settings) {
        if (settings.stripe()) {
            log.info("Payments: Stripe provider at {}", settings.stripeApiBase());
            return new StripeProvider(settings.stripeKey(), settings.stripeApiBase());
        }
        log.info("Payments: sandbox provider (no STRIPE_KEY); cards are simulated");
        return new SandboxProvider();
    }

    /**
     * The domain's refusals (web-support renders them): a 400 says the exception's message (the provider's own for a
     * declined card); an unknown outcome at the provider is a 503, with the contract's fixed message for a 5xx.
     */
    @Bean
    ErrorStatuses paymentRefusals() {
        return new ErrorStatuses(Map.of(
                NotOwner.class, HttpStatus.UNAUTHORIZED,
                OrderWasCancelled.class, HttpStatus.BAD_REQUEST,
                OrderAlreadyPaid.class, HttpStatus.BAD_REQUEST,
                PaymentProvider.CardDeclined.class, HttpStatus.BAD_REQUEST,
                PaymentProvider.ProviderUnavailable.class, HttpStatus.SERVICE_UNAVAILABLE));
    }
}
