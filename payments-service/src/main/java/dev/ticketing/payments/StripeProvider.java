package dev.ticketing.payments;

/** Placeholder so this branch compiles: the real StripeProvider comes from branch i14-stripe. */
final class StripeProvider implements PaymentProvider {

    StripeProvider(String apiKey, String apiBase) {
    }

    @Override
    public String charge(String token, long amountInCents, String currency, String idempotencyKey) {
        throw new UnsupportedOperationException("StripeProvider comes from branch i14-stripe");
    }

    @Override
    public void refund(String chargeId, String idempotencyKey) {
        throw new UnsupportedOperationException("StripeProvider comes from branch i14-stripe");
    }
}
