package dev.ticketing.events.outbox;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Configuration of the outbox relay ({@code ticketing.outbox.*}).
 *
 * @param relayEnabled publish pending events; off only to measure the cost of publishing (events then
 *        stay pending in their documents)
 * @param sweepInterval how often documents with pending events are looked for: the safety net for a
 *        relay that did not run (crash, NATS down); the normal path publishes right after each write
 * @param sweepBatch documents examined per collection and sweep
 * @param maxConcurrentRelays documents relayed at once
 */
@ConfigurationProperties("ticketing.outbox")
public record OutboxSettings(
        @DefaultValue("true") boolean relayEnabled,
        @DefaultValue("1s") Duration sweepInterval,
        @DefaultValue("500") int sweepBatch,
        @DefaultValue("64") int maxConcurrentRelays) {

    public OutboxSettings {
        if (sweepInterval == null || !sweepInterval.isPositive()) {
            throw new IllegalArgumentException("ticketing.outbox.sweep-interval must be a positive duration");
        }
        if (sweepBatch < 1) {
            throw new IllegalArgumentException("ticketing.outbox.sweep-batch must be at least 1");
        }
        if (maxConcurrentRelays < 1) {
            throw new IllegalArgumentException("ticketing.outbox.max-concurrent-relays must be at least 1");
        }
    }
}
