package dev.ticketing.payments;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The default provider: no network, deterministic test tokens as the contract lists them. {@code tok_chargeDeclined}
 * and {@code tok_insufficientFunds} are declined with the card networks' messages; any other {@code tok_} token (such
 * as {@code tok_visa}) is charged. Like Stripe, it remembers every call by its idempotency key, in memory, and answers
 * a repeated key with the first outcome, a decline included, without charging or refunding again.
 */
final class SandboxProvider implements PaymentProvider {

    static final String DECLINED = "Your card was declined";
    static final String INSUFFICIENT_FUNDS = "Your card has insufficient funds";

    /** What one charge key did: a charge id, or the decline message. */
    record Charge(String key, String token, long amount, String currency, @Nullable String chargeId,
            @Nullable String declinedWith) {
    }

    /** What one refund key did. */
    record Refund(String key, String chargeId) {
    }

    private final Map<String, Charge> charges = new ConcurrentHashMap<>();
    private final Map<String, Refund> refunds = new ConcurrentHashMap<>();

    @Override
    public String charge(String token, long amountInCents, String currency, String idempotencyKey) {
        Charge charge = charges.computeIfAbsent(idempotencyKey, key -> switch (token) {
            case "tok_chargeDeclined" -> new Charge(key, token, amountInCents, currency, null, DECLINED);
            case "tok_insufficientFunds" -> new Charge(key, token, amountInCents, currency, null, INSUFFICIENT_FUNDS);
            default -> token.startsWith("tok_")
                    ? new Charge(key, token, amountInCents, currency, "ch_sandbox_" + UUID.randomUUID().toString().replace("-", ""), null)
                    : new Charge(key, token, amountInCents, currency, null, DECLINED);
        });
        if (charge.declinedWith() != null) {
            throw new CardDeclined(charge.declinedWith());
        }
        return Objects.requireNonNull(charge.chargeId());
    }

    @Override
    public void refund(String chargeId, String idempotencyKey) {
        refunds.computeIfAbsent(idempotencyKey, key -> new Refund(key, chargeId));
    }

    /** Every charge made, one per idempotency key (repeats are not charges). */
    List<Charge> charges() {
        return List.copyOf(charges.values());
    }

    /** Every refund made, one per idempotency key. */
    List<Refund> refunds() {
        return List.copyOf(refunds.values());
    }
}
