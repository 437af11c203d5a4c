package dev.ticketing.testsupport;

/** A NATS server someone else runs ({@code NATS_URL}); tests may use it but never stop it. */
record ExternalNatsServer(String url) implements NatsServer {

    @Override
    public ServerMode mode() {
        return ServerMode.EXTERNAL;
    }

    @Override
    public void stop() {
        throw notOurs();
    }

    @Override
    public void kill() {
        throw notOurs();
    }

    @Override
    public void start() {
        throw notOurs();
    }

    @Override
    public void close() {
        // not ours to stop
    }

    private UnsupportedOperationException notOurs() {
        return new UnsupportedOperationException("The external NATS server at " + url
                + " cannot be stopped by a test; use TestServers.dedicatedNats() for fault tests");
    }

    @Override
    public void wipeStore() {
        throw notOurs();
    }
}
