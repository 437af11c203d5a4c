package dev.ticketing.payments;

/**
 * A card provider: charges and refunds, each under an idempotency key, so a call repeated with the same key (a retry
 * after a crash or a lost answer) is done once by the provider and answered with the first outcome.
 * {@link SandboxProvider} is the default; {@link StripeProvider} is used when {@code STRIPE_KEY} is set.
 */
interface PaymentProvider {

    /**
     * Charges {@code amountInCents} (the smallest unit of {@code currency}) to the card behind {@code token}; returns
     * the provider's charge id.
     *
     * @throws CardDeclined when the provider refused the card; its message is the provider's, for the payer
     * @throws ProviderUnavailable when the outcome is unknown (network error, provider error): the charge may or may
     *     not have happened, and only a repeat with the same key may be tried
     */
    String charge(String token, long amountInCents, String currency, String idempotencyKey);

    /**
     * Refunds the whole charge {@code chargeId}.
     *
     * @throws ProviderUnavailable when the outcome is unknown; repeat with the same key
     */
    void refund(String chargeId, String idempotencyKey);

    /** The provider refused the card; the message is its own ("Your card was declined"). */
    final class CardDeclined extends RuntimeException {

        CardDeclined(String message) {
            super(message, null, false, false);
        }
    }

    /** The provider could not be reached or failed: the outcome of the call is unknown. */
    final class ProviderUnavailable extends RuntimeException {

        ProviderUnavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
