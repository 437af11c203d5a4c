package dev.ticketing.testsupport;

/**
 * A real NATS server with JetStream for tests. Fault tests stop and start it again: it comes back on the
 * same port with the same store, so clients reconnect by themselves and nothing stored is lost.
 */
public interface NatsServer extends AutoCloseable {

    /** The client URL, for example {@code nats://127.0.0.1:43121}. */
    String url();

    ServerMode mode();

    /** Stops the server gracefully, keeping its port and store for {@link #start()}. */
    void stop();

    /** Kills the server without letting it flush or say goodbye, keeping its port and store. */
    void kill();

    /**
     * Kills the server and deletes its store, as a lost volume or a server that keeps its streams in memory
     * would: {@link #start()} then brings it back empty on the same port. Only for a server of the test's own
     * in embedded mode.
     */
    void wipeStore();

    /** Starts a stopped server on the same port and store and waits until JetStream is healthy. */
    void start();

    /** Stops the server for good (a test's own store is removed when the JVM exits). */
    @Override
    void close();
}
