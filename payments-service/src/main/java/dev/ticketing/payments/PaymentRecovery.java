package dev.ticketing.payments;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.data.domain.Limit;
import org.springframework.stereotype.Component;

/**
 * Finishes what the provider left unanswered: a payment still charging past its lease (its replica was killed
 * mid-charge, or the provider's outcome was unknown) is charged again with the same token and key, so the provider
 * answers the first outcome instead of charging twice; a refund asked for and not done is sent again with its key.
 * Each payment is taken with one conditional write (a new lease), so one replica recovers it while others skip it.
 */
@Component
class PaymentRecovery implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(PaymentRecovery.class);
    private static final int BATCH = 100;

    private final Payments payments;
    private final Checkout checkout;
    private final PaymentsSettings settings;
    private final Clock clock;
    private @Nullable ScheduledExecutorService sweeper;
    private volatile boolean running;

    PaymentRecovery(Payments payments, Checkout checkout, PaymentsSettings settings, Clock clock) {
        this.payments = payments;
        this.checkout = checkout;
        this.settings = settings;
        this.clock = clock;
    }

    /** Recovers every payment past its lease now; returns how many this call took over. */
    int sweep() {
        Instant now = clock.instant();
        List<Payment> stale = payments.findByLeaseExpiresAtLessThanOrderByLeaseExpiresAtAsc(now, Limit.of(BATCH));
        int recovered = 0;
        for (Payment payment : stale) {
            if (!running) {
                break;
            }
            Payment taken = take(payment, now);
            if (taken != null) {
                recover(taken);
                recovered++;
            }
        }
        return recovered;
    }

    private @Nullable Payment take(Payment payment, Instant now) {
        payment.renewLease(now, now.plus(settings.chargeLease()));
        try {
            return payments.save(payment);
        } catch (OptimisticLockingFailureException takenMeanwhile) {
            return null; // another replica recovers it, or its own call just settled it
        }
    }

    private void recover(Payment payment) {
        try {
            switch (payment.status()) {
                case CHARGING -> {
                    Payment settled = checkout.finish(payment);
                    log.info("Recovered payment {} of order {}: {}", settled.id(), settled.orderId(), settled.status().wireValue());
                }
                case SUCCEEDED -> checkout.refund(payment);
                default -> log.debug("Payment {} is {}: nothing to recover", payment.id(), payment.status().wireValue());
            }
        } catch (PaymentProvider.CardDeclined declined) {
            log.info("Recovered payment {} of order {}: declined", payment.id(), payment.orderId());
        } catch (PaymentProvider.ProviderUnavailable unavailable) {
            log.warn("Provider still unavailable for payment {}; retrying after {}: {}", payment.id(),
                    settings.chargeLease(), unavailable.toString());
        }
    }

    private void sweepSafely() {
        try {
            sweep();
        } catch (RuntimeException e) {
            log.warn("Payment recovery sweep failed; retrying in {}: {}", settings.recoveryInterval(), e.toString());
        }
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("payments-recovery").factory());
        scheduler.scheduleWithFixedDelay(this::sweepSafely, 0, settings.recoveryInterval().toMillis(), TimeUnit.MILLISECONDS);
        sweeper = scheduler;
    }

    /** Lets a recovery in progress finish its current payment, then stops. */
    @Override
    public synchronized void stop() {
        running = false;
        ScheduledExecutorService scheduler = sweeper;
        sweeper = null;
        if (scheduler == null) {
            return;
        }
        scheduler.shutdown();
        try {
            if (!scheduler.awaitTermination(10, TimeUnit.SECONDS)) {
                scheduler.shutdownNow();
            }
        } catch (InterruptedException e) {
            scheduler.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stops before the bus and the outbox relay, starts after them. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE;
    }
}
