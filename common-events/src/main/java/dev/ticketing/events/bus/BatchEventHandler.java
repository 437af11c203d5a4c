package dev.ticketing.events.bus;

import dev.ticketing.events.EventType;
import dev.ticketing.events.TicketingEvent;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Reacts to the events of one type that have arrived together, at most {@code ticketing.nats.consumer.batch-size}
 * at once, in the order the bus delivered them. For handlers whose cost is mostly one round trip to their
 * database: a batch lets them write once for many events (the orders-service replica merges consecutive
 * versions of a ticket and sends one bulk write per batch).
 *
 * <p>The handler gives each delivery its {@link Verdict} with {@link Delivery#settle}; one it leaves alone counts as
 * applied and is acknowledged when {@code on} returns. A {@link Verdict#NOT_YET} delivery is held in the process and
 * offered again with the next batches for up to {@code not-yet-hold}, then given back to the server. If {@code on}
 * throws, every delivery not yet settled has {@link Verdict#FAILED}. Handlers must be idempotent: an event can be
 * delivered more than once, in the same batch or a later one.
 *
 * <p>In a Spring application every bean of type {@code BatchEventHandler<SomeEvent>} is subscribed on start,
 * like an {@link EventHandler}; a service has one handler of either kind per subject.
 */
@FunctionalInterface
public interface BatchEventHandler<E extends TicketingEvent> {

    void on(List<Delivery<E>> deliveries) throws Exception;

    /**
     * One event of a batch, and the handler's {@link Verdict} on it. Unsettled, it counts as applied; the first verdict
     * wins. Verdicts may come from any thread the handler uses, as long as they are given before {@code on} returns.
     */
    final class Delivery<E extends TicketingEvent> {

        private final E event;
        private final EventMetadata metadata;
        private @Nullable Verdict verdict;
        private String why = "";
        private @Nullable Exception failure;

        Delivery(E event, EventMetadata metadata) {
            this.event = event;
            this.metadata = metadata;
        }

        /** A first delivery of {@code event}, with a fresh event id: what a handler's test hands it. */
        public static <E extends TicketingEvent> Delivery<E> of(E event) {
            return new Delivery<>(event, new EventMetadata(UUID.randomUUID(), event.type(), EventType.SCHEMA_VERSION,
                    Instant.now(), 1, 0));
        }

        public E event() {
            return event;
        }

        public EventMetadata metadata() {
            return metadata;
        }

        /** Gives this delivery its verdict; {@code why} is logged, and kept with a dead letter. */
        public synchronized void settle(Verdict newVerdict, String reason) {
            if (verdict == null) {
                verdict = Objects.requireNonNull(newVerdict, "verdict");
                why = reason;
            }
        }

        /** Handling failed: {@link Verdict#FAILED}, with the exception that says why. */
        public synchronized void fail(Exception cause) {
            if (verdict == null) {
                settle(Verdict.FAILED, cause.toString());
                failure = cause;
            }
        }

        /** Whether the handler gave this delivery a verdict. */
        public synchronized boolean isSettled() {
            return verdict != null;
        }

        /** The verdict: {@link Verdict#APPLIED} while the handler gave none. */
        public synchronized Verdict verdict() {
            return verdict == null ? Verdict.APPLIED : verdict;
        }

        synchronized String why() {
            return why;
        }

        /** What failed, for a {@link Verdict#FAILED} delivery given an exception. */
        synchronized @Nullable Exception failure() {
            return failure;
        }
    }
}
