package dev.ticketing.orders;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.data.domain.Limit;
import org.springframework.stereotype.Component;

/**
 * Cancels orders whose payment window has passed. Every {@code expiration-check-interval} an indexed query
 * finds the orders still {@code created} past their {@code expiresAt}; each is expired by the aggregate and
 * saved under its version, so its {@code order.cancelled} leaves through the outbox.
 *
 * <p>The state lives in the database, not in a timer: an order placed before a restart expires after it, on
 * whichever replica sweeps first. Replicas may sweep the same order at once; the version check lets one
 * save win and the others skip, so an order is cancelled (and announced) once. An order cancelled by its
 * owner, paid, or in payment is not {@code created} and is never touched.
 */
@Component
class OrderExpiry implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(OrderExpiry.class);

    private final Orders orders;
    private final OrdersSettings settings;
    private final Clock clock;
    private final Counter expired;
    private @Nullable ScheduledExecutorService sweeper;
    private volatile boolean running;

    OrderExpiry(Orders orders, OrdersSettings settings, Clock clock, ObjectProvider<MeterRegistry> meters) {
        this.orders = orders;
        this.settings = settings;
        this.clock = clock;
        this.expired = Counter.builder("ticketing.orders.expired")
                .description("Orders cancelled because their payment window passed")
                .register(meters.getIfAvailable(SimpleMeterRegistry::new));
    }

    /** Expires every order due now; returns how many this call cancelled. */
    int sweep() {
        int cancelled = 0;
        while (running) {
            Instant now = clock.instant();
            List<Order> due = orders.findExpired(now, Limit.of(settings.expirationBatch()));
            int cancelledNow = 0;
            for (Order order : due) {
                if (!running) {
                    break;
                }
                if (order.expire(now) && saved(order)) {
                    cancelledNow++;
                }
            }
            cancelled += cancelledNow;
            // A short page is the last one; a full page of lost races is left to the next sweep.
            if (due.size() < settings.expirationBatch() || cancelledNow == 0) {
                break;
            }
        }
        if (cancelled > 0) {
            expired.increment(cancelled);
            log.info("Expired {} order(s)", cancelled);
        }
        return cancelled;
    }

    private boolean saved(Order order) {
        try {
            orders.save(order);
            log.debug("Order {} expired at {}", order.id(), order.expiresAt());
            return true;
        } catch (OptimisticLockingFailureException changedMeanwhile) {
            // Another replica expired it, or its owner cancelled or paid it, since it was loaded: theirs stands.
            log.debug("Order {} changed while expiring it; leaving it to the other writer", order.id());
            return false;
        }
    }

    private void sweepSafely() {
        try {
            sweep();
        } catch (RuntimeException e) {
            log.warn("Order expiry sweep failed; retrying in {}: {}", settings.expirationCheckInterval(), e.toString());
        }
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("orders-expiry").factory());
        scheduler.scheduleWithFixedDelay(this::sweepSafely, 0, settings.expirationCheckInterval().toMillis(),
                TimeUnit.MILLISECONDS);
        sweeper = scheduler;
        log.info("Order expiry: window {}, checked every {}", settings.expiration(), settings.expirationCheckInterval());
    }

    /** Lets a sweep in progress finish its current order, then stops; a later start begins afresh. */
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
