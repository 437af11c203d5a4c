package dev.ticketing.events.outbox;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * {@code outbox} health: always UP (pending events are expected while NATS is away, and the API keeps
 * working), with the figures an operator wants: how many events wait and how old the oldest is.
 */
final class OutboxHealthIndicator extends AbstractHealthIndicator {

    private final OutboxRelay relay;

    OutboxHealthIndicator(OutboxRelay relay) {
        this.relay = relay;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        OutboxRelay.OutboxStatus status = relay.status();
        builder.up()
                .withDetail("relayEnabled", status.relayEnabled())
                .withDetail("collections", status.collections())
                .withDetail("pending", status.pending())
                .withDetail("oldestPendingAge", status.oldestAge().toString());
        if (status.lastSweep() != null) {
            builder.withDetail("lastSweep", status.lastSweep().toString());
        }
    }
}
