package dev.ticketing.events.bus;

import dev.ticketing.events.TicketingEvent;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One event of a batch given to a {@link BatchEventHandler}, and what the handler made of it. Unmarked, it is
 * acknowledged when the handler returns; the first mark wins. Marks may come from any thread the handler uses,
 * as long as they are made before {@code on} returns.
 */
public final class Delivery<E extends TicketingEvent> {

    /** What becomes of a delivery once its batch is handled. */
    enum Verdict { ACK, NOT_YET, RETRY }

    private final E event;
    private final EventMetadata metadata;
    private Verdict verdict = Verdict.ACK;
    private boolean marked;
    private @Nullable Exception cause;

    Delivery(E event, EventMetadata metadata) {
        this.event = event;
        this.metadata = metadata;
    }

    public E event() {
        return event;
    }

    public EventMetadata metadata() {
        return metadata;
    }

    /**
     * The event arrived before the one it depends on: it is offered again with the next batches for a while
     * ({@code not-yet-hold}), then redelivered after the not-yet delay, and parked if it never becomes applicable.
     */
    public void notYet(String reason) {
        mark(Verdict.NOT_YET, new NotYet(reason));
    }

    /** Handling failed: redeliver it with backoff, then park it as a dead letter like any failing event. */
    public void retry(Exception failure) {
        mark(Verdict.RETRY, Objects.requireNonNull(failure, "failure"));
    }

    /** Whether the handler marked this delivery (then it is not acknowledged). */
    public synchronized boolean isMarked() {
        return marked;
    }

    synchronized void mark(Verdict newVerdict, Exception newCause) {
        if (!marked) {
            marked = true;
            verdict = newVerdict;
            cause = newCause;
        }
    }

    synchronized Verdict verdict() {
        return verdict;
    }

    synchronized @Nullable Exception cause() {
        return cause;
    }
}
