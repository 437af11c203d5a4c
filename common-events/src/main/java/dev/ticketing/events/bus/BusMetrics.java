package dev.ticketing.events.bus;

import dev.ticketing.events.EventType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The bus's Micrometer meters, tagged by subject; created once so the hot path only increments.
 * {@code ticketing.events.published}, {@code .publish.failures}, {@code .handled} (tag {@code outcome}),
 * {@code .redelivered}, {@code .dead.letters}, the timer {@code ticketing.events.handler} and the gauge
 * {@code ticketing.events.consuming} (tag {@code durable}: 1 while the durable is being consumed, 0 while not).
 */
final class BusMetrics {

    private final MeterRegistry registry;
    private final Map<EventType, Counter> published = new EnumMap<>(EventType.class);
    private final Map<EventType, Counter> publishFailures = new EnumMap<>(EventType.class);

    BusMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (EventType type : EventType.values()) {
            published.put(type, Counter.builder("ticketing.events.published")
                    .description("Events stored by JetStream").tag("subject", type.subject()).register(registry));
            publishFailures.put(type, Counter.builder("ticketing.events.publish.failures")
                    .description("Publishes JetStream did not confirm").tag("subject", type.subject()).register(registry));
        }
    }

    void published(EventType type) {
        Objects.requireNonNull(published.get(type)).increment();
    }

    void publishFailed(EventType type) {
        Objects.requireNonNull(publishFailures.get(type)).increment();
    }

    /** The gauge of one subscription: 1 while it consumes, 0 while its durable or the connection is gone. */
    Meter consuming(Subscription subscription) {
        return Gauge.builder("ticketing.events.consuming", subscription, s -> s.isActive() ? 1 : 0)
                .description("1 while the durable consumer is being consumed, 0 while it is not")
                .tag("durable", subscription.durableName()).register(registry);
    }

    void remove(@Nullable Meter meter) {
        if (meter != null) {
            registry.remove(meter);
        }
    }

    Consumption forConsumer(EventType type) {
        return new Consumption(registry, type.subject());
    }

    /** The meters of one subscription. */
    static final class Consumption {

        private final Map<Verdict, Counter> handled = new EnumMap<>(Verdict.class);
        private final Counter redelivered;
        private final Timer handlerTime;

        private Consumption(MeterRegistry registry, String subject) {
            for (Verdict verdict : Verdict.values()) {
                // Applied and repeat share the counter of their tag, "acked".
                handled.put(verdict, Counter.builder("ticketing.events.handled")
                        .description("Deliveries handled, by outcome").tag("subject", subject)
                        .tag("outcome", verdict.tag()).register(registry));
            }
            redelivered = Counter.builder("ticketing.events.redelivered")
                    .description("Deliveries that were not the first").tag("subject", subject).register(registry);
            handlerTime = Timer.builder("ticketing.events.handler")
                    .description("Time spent in the handler").tag("subject", subject).register(registry);
        }

        void redelivered() {
            redelivered.increment();
        }

        /** Counts a delivery's one verdict; each delivery is counted exactly once. */
        void handled(Verdict verdict, long handlerNanos) {
            handled(verdict);
            handlerTime.record(handlerNanos, java.util.concurrent.TimeUnit.NANOSECONDS);
        }

        /** The verdict on a delivery no handler saw (malformed). */
        void handled(Verdict verdict) {
            Objects.requireNonNull(handled.get(verdict)).increment();
        }
    }
}
