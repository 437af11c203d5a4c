package dev.ticketing.events.bus;

/** A handler attached to its service's durable consumer for one subject. */
public interface Subscription extends AutoCloseable {

    /** The durable consumer's name: service name and subject, never an instance name. */
    String durableName();

    /** Whether the consumer exists on the server and messages are being pulled. */
    boolean isActive();

    /**
     * Stops pulling, lets the handler in flight finish and settle its message, and leaves the durable
     * consumer on the server so that another instance, or this one after a restart, resumes from it.
     */
    @Override
    void close();
}
