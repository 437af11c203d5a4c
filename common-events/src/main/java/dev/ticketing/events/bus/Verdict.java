package dev.ticketing.events.bus;

/**
 * What became of a delivered event: the one word a handler answers with, that settlement acts on and that the
 * metric {@code ticketing.events.handled} counts under its {@code outcome} tag.
 */
public enum Verdict {

    /** The event changed the handler's state: acknowledged. */
    APPLIED("acked"),
    /** The handler already had it (a redelivery, a duplicate): acknowledged, nothing changes. */
    REPEAT("acked"),
    /**
     * It arrived before the event it depends on: given back to come again after a delay (a batch handler first
     * offers it again from memory, see {@link BatchEventHandler}), parked after {@code not-yet-max-deliveries}.
     */
    NOT_YET("not_yet"),
    /**
     * Handling failed (what a thrown exception means): redelivered with backoff, parked on delivery
     * {@code max-deliver}, or without limit while the handler's database is unreachable.
     */
    FAILED("failed"),
    /** No delivery can ever succeed (a malformed payload, a value the handler cannot store): parked at once. */
    REJECTED("dead_lettered");

    private final String tag;

    Verdict(String tag) {
        this.tag = tag;
    }

    /** The metric's {@code outcome} tag. */
    String tag() {
        return tag;
    }
}
