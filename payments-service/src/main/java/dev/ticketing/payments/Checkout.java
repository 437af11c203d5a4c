package dev.ticketing.payments;

import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.stereotype.Component;

/**
 * Charges and refunds orders through the provider, for the route, the cancellation handler and the recovery alike.
 * The database decides every race: a payment is claimed by one conditional write (the insert under the unique index
 * on {@code orderId}, or {@code declined -> charging}), and each outcome is a write conditional on the version, so
 * however many callers race, one charges and one settles. The provider's idempotency keys make a call repeated by a
 * loser (or by a recovery) answer the first outcome instead of charging or refunding again.
 */
@Component
class Checkout {

    private static final Logger log = LoggerFactory.getLogger(Checkout.class);

    /** A claim that loses a race (another submit, another card after a decline) reloads and decides again. */
    private static final int CLAIM_ROUNDS = 3;

    private final Payments payments;
    private final Orders orders;
    private final PaymentProvider provider;
    private final PaymentsSettings settings;
    private final Clock clock;

    Checkout(Payments payments, Orders orders, PaymentProvider provider, PaymentsSettings settings, Clock clock) {
        this.payments = payments;
        this.orders = orders;
        this.provider = provider;
        this.settings = settings;
        this.clock = clock;
    }

    /**
     * Pays {@code order} (its owner checked) with the card behind {@code token}. Returns the succeeded payment.
     *
     * @throws OrderWasCancelled the order is cancelled, also when the cancellation landed while the card was being
     *     charged (the charge is then refunded)
     * @throws OrderAlreadyPaid the order is complete or has a payment that is not declined
     * @throws PaymentProvider.CardDeclined the card was refused; the order stays payable
     * @throws PaymentProvider.ProviderUnavailable the outcome is unknown; the recovery repeats the same call later
     */
    Payment pay(Order order, String token) {
        order.requirePayable();
        Payment payment = finish(claim(order, token));
        return switch (payment.status()) {
            case SUCCEEDED -> payment;
            case REFUNDED -> throw new OrderWasCancelled();
            // Another writer settled this attempt first (a recovery that took it over): its outcome stands.
            case CHARGING, DECLINED -> throw new OrderAlreadyPaid();
        };
    }

    /**
     * Charges a claimed payment (status charging) with its token and key and records the outcome; then, if the order
     * was cancelled meanwhile, refunds it. A repeat of the same attempt (the recovery) gets the provider's first answer.
     */
    Payment finish(Payment charging) {
        String chargeId;
        try {
            chargeId = provider.charge(charging.chargingToken(), charging.amount(), charging.currency(), charging.chargeKey());
        } catch (PaymentProvider.CardDeclined declined) {
            charging.decline(clock.instant());
            saveOrReload(charging);
            throw declined;
        }
        charging.succeed(chargeId, clock.instant());
        Payment settled = saveOrReload(charging);
        return settled.status() == Payment.Status.SUCCEEDED && orderCancelled(settled.orderId()) ? refund(settled) : settled;
    }

    /** Refunds the succeeded payment of {@code orderId} if the replica has that order cancelled; otherwise nothing. */
    void refundIfCancelled(String orderId) {
        Optional<Payment> payment = payments.findByOrderId(orderId);
        if (payment.isPresent() && payment.get().status() == Payment.Status.SUCCEEDED && orderCancelled(orderId)) {
            refund(payment.get());
        }
    }

    /**
     * Refunds a succeeded payment under the order's refund key: first leased (so the recovery finishes a refund this
     * call cannot), then refunded through the provider, then marked refunded with {@code payment.refunded}. Two racing
     * refunds send one refund (the key) and record one (the version).
     */
    Payment refund(Payment succeeded) {
        Payment payment = succeeded;
        if (payment.leaseExpiresAt() == null) {
            payment.refundDue(clock.instant(), leaseEnd());
            payment = saveOrReload(payment);
            if (payment.status() != Payment.Status.SUCCEEDED) {
                return payment;
            }
        }
        provider.refund(Objects.requireNonNull(payment.chargeId()), payment.refundKey());
        payment.refunded(clock.instant());
        Payment settled = saveOrReload(payment);
        log.info("Payment {} of cancelled order {} refunded", settled.id(), settled.orderId());
        return settled;
    }

    /** One conditional write: a new payment, or another attempt after a decline. */
    private Payment claim(Order order, String token) {
        for (int round = 1; ; round++) {
            Optional<Payment> existing = payments.findByOrderId(order.id());
            try {
                if (existing.isEmpty()) {
                    return payments.insert(Payment.charge(order, token, settings.currency(), clock.instant(), leaseEnd()));
                }
                Payment declined = existing.get();
                declined.chargeAgain(token, clock.instant(), leaseEnd());
                return payments.save(declined);
            } catch (DuplicateKeyException | OptimisticLockingFailureException claimedMeanwhile) {
                if (round == CLAIM_ROUNDS) {
                    throw new OrderAlreadyPaid();
                }
            }
        }
    }

    /** Saves a change; when another writer moved the payment first, theirs stands and is returned. */
    private Payment saveOrReload(Payment payment) {
        try {
            return payments.save(payment);
        } catch (OptimisticLockingFailureException changedMeanwhile) {
            log.debug("Payment {} was settled by another writer", payment.id());
            return payments.findById(payment.id()).orElseThrow(() -> changedMeanwhile);
        }
    }

    private boolean orderCancelled(String orderId) {
        return orders.findById(orderId).map(Order::cancelled).orElse(false);
    }

    private Instant leaseEnd() {
        return clock.instant().plus(settings.chargeLease());
    }
}
