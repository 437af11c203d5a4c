package dev.ticketing.payments;

import com.stripe.StripeClient;
import com.stripe.exception.AuthenticationException;
import com.stripe.exception.CardException;
import com.stripe.exception.IdempotencyException;
import com.stripe.exception.InvalidRequestException;
import com.stripe.exception.StripeException;
import com.stripe.net.RequestOptions;
import com.stripe.param.ChargeCreateParams;
import com.stripe.param.RefundCreateParams;
import java.time.Duration;

/**
 * Stripe through its official client, used when {@code STRIPE_KEY} is set.
 *
 * <p>Charges go through the Charges API with the card token as {@code source}: the payer's token ({@code tok_visa} and
 * the other test tokens, or Stripe.js' {@code createToken}) is exactly a Charges source, and a charge is settled in the
 * one call. A PaymentIntent confirmed here would need the token wrapped as {@code payment_method_data} and could stop
 * in {@code requires_action} (3-D Secure), a state this API has no way to hand back to the payer.
 *
 * <p>Each call carries the caller's idempotency key ({@code Idempotency-Key}); stripe-java itself retries a call that
 * failed to connect, timed out, or got a 409 or 5xx, twice, under the same key, so Stripe does it once. A call that
 * still fails has an unknown outcome ({@link ProviderUnavailable}) and may only be repeated with the same key: with
 * these timeouts one call lasts at most about 3 x (5 s + 20 s) plus 1.5 s of back-off.
 */
final class StripeProvider implements PaymentProvider {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** Long enough for a slow card network (Stripe's own default is 80 s); a timed-out call is retried under its key. */
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(20);
    private static final int NETWORK_RETRIES = 2;
    /** Stripe's code when a refund meets a charge already refunded in full (by an earlier key, or from the dashboard). */
    private static final String ALREADY_REFUNDED = "charge_already_refunded";

    private final StripeClient stripe;

    /** {@code apiBase} is {@code https://api.stripe.com} in production, a local stand-in in tests. */
    StripeProvider(String apiKey, String apiBase) {
        this(apiKey, apiBase, READ_TIMEOUT);
    }

    /** With a shorter {@code readTimeout}, for tests of calls that Stripe never answers. */
    StripeProvider(String apiKey, String apiBase, Duration readTimeout) {
        stripe = StripeClient.builder()
                .setApiKey(apiKey)
                .setApiBase(apiBase)
                .setConnectTimeout((int) CONNECT_TIMEOUT.toMillis())
                .setReadTimeout((int) readTimeout.toMillis())
                .setMaxNetworkRetries(NETWORK_RETRIES)
                .build();
    }

    /**
     * {@inheritDoc}
     *
     * <p>Every refusal is a {@link CardDeclined} with Stripe's message: a declined card (402), an unknown or spent
     * token (400), or the key reused with other parameters (400 {@code idempotency_error}). Stripe charges nothing on a
     * refusal, so the payer may try again under the next attempt's key. The last one cannot come from the payments' own
     * repeats (a charging payment keeps its token and amount), only from a bug, and ending that attempt lets the payer
     * go on.
     */
    @Override
    public String charge(String token, long amountInCents, String currency, String idempotencyKey) {
        var params = ChargeCreateParams.builder()
                .setAmount(amountInCents)
                .setCurrency(currency)
                .setSource(token)
                .build();
        try {
            return stripe.v1().charges().create(params, under(idempotencyKey)).getId();
        } catch (CardException | InvalidRequestException | IdempotencyException refused) {
            throw new CardDeclined(payerMessage(refused));
        } catch (StripeException e) {
            throw unavailable("charge", e);
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>A charge already refunded in full counts as refunded. Any other failure, a refusal included, is a
     * {@link ProviderUnavailable}: a refund is never the payer's to fix, so the caller retries it (and its event ends
     * in the dead letters if Stripe keeps refusing).
     */
    @Override
    public void refund(String chargeId, String idempotencyKey) {
        var params = RefundCreateParams.builder().setCharge(chargeId).build();
        try {
            stripe.v1().refunds().create(params, under(idempotencyKey));
        } catch (InvalidRequestException e) {
            if (!ALREADY_REFUNDED.equals(e.getCode())) {
                throw unavailable("refund", e);
            }
        } catch (StripeException e) {
            throw unavailable("refund", e);
        }
    }

    private static RequestOptions under(String idempotencyKey) {
        return RequestOptions.builder().setIdempotencyKey(idempotencyKey).build();
    }

    /** Stripe's own sentence ("Your card was declined."), without the code and request id its exceptions append. */
    private static String payerMessage(StripeException refused) {
        String message = refused.getUserMessage();
        return message != null ? message : "Your card was declined.";
    }

    /**
     * A bad or revoked key (401/403) is the operator's to fix, not the payer's: it is reported as unavailable, which
     * leaves the payment to the recovery once the key is fixed (Stripe charged nothing), and names STRIPE_KEY.
     */
    private static ProviderUnavailable unavailable(String call, StripeException e) {
        String why = e instanceof AuthenticationException
                ? "Stripe rejected STRIPE_KEY"
                : "Stripe's " + call + " outcome is unknown";
        return new ProviderUnavailable(why + ": " + e.getMessage(), e);
    }
}
