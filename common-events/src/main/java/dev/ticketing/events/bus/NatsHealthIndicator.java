package dev.ticketing.events.bus;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * {@code nats} health, part of the readiness group: UP when the connection is up, JetStream answers,
 * the streams exist and every durable subscription is consuming; DOWN while NATS is away, or while a durable
 * has been gone for longer than {@code stall-timeout} (detail {@code stalled} names it and why).
 */
final class NatsHealthIndicator extends AbstractHealthIndicator {

    private final NatsEventBus bus;

    NatsHealthIndicator(NatsEventBus bus) {
        super("NATS health check failed");
        this.bus = bus;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        NatsEventBus.BusStatus status = bus.status();
        boolean up = status.ready() && bus.jetStreamResponds();
        builder.status(up ? org.springframework.boot.health.contributor.Status.UP
                        : org.springframework.boot.health.contributor.Status.DOWN)
                .withDetail("url", status.url())
                .withDetail("connection", status.connection().name())
                .withDetail("streamsProvisioned", status.streamsProvisioned())
                .withDetail("subscriptions", status.activeSubscriptions() + "/" + status.subscriptions() + " consuming");
        if (!status.stalled().isEmpty()) {
            builder.withDetail("stalled", status.stalled());
        }
        if (status.lastError() != null) {
            builder.withDetail("lastError", status.lastError());
        }
    }
}
