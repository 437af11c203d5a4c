package dev.ticketing.benchmarks;

import dev.ticketing.events.EventEnvelope;
import dev.ticketing.events.TicketUpdated;
import dev.ticketing.events.bus.NatsEventBus;
import dev.ticketing.testsupport.NatsServer;
import dev.ticketing.testsupport.TestServers;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.Nats;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the bus can deliver: the same events, published to a scratch nats-server (the same binary, a file store
 * of its own) and read back at once by no-op durables of the library, as a new service would subscribe. Three
 * durables read each burst one after the other; the median counts.
 *
 * <p>Why not read them back from the stack's server after the replica is done: nats-server 2.9 then serves a
 * filtered consumer from message blocks whose cache has expired, and delivery was ten times slower (6,000 instead
 * of 60,000 events/s) with nats-server's own CPU time the difference (1.5 s instead of 0.1 s per 10,000 events).
 * The replica read the events as they were published; the bus's figure must be taken the same way.
 */
final class BusCeiling implements AutoCloseable {

    private static final String STREAM = "TICKETING";
    private static final int READERS = 3;
    private static final int IN_FLIGHT = 1000;
    private static final Duration TIMEOUT = Duration.ofMinutes(1);

    private final NatsServer server;
    private final Connection admin;
    private final NatsEventBus publisher;
    private int measurements;

    BusCeiling() throws IOException, InterruptedException {
        this.server = TestServers.dedicatedNats();
        try {
            this.admin = Nats.connect(server.url());
            this.publisher = BusClients.awaitReady(BusClients.start(server.url(), "bench-ceiling"));
        } catch (IOException | InterruptedException | RuntimeException e) {
            server.close();
            throw e;
        }
    }

    /** How fast the bus delivers these events (all of one batch id) to a durable that does nothing. */
    Delivery measure(List<EventEnvelope> events, long batch) throws InterruptedException, IOException,
            JetStreamApiException {
        admin.jetStreamManagement().purgeStream(STREAM);
        Throughput published = PublishLoop.run(events.size(), IN_FLIGHT, TIMEOUT, i -> publisher.publishAsync(events.get(i)));
        if (published.incomplete() > 0) {
            throw new IllegalStateException(published.incomplete() + " events were not acknowledged by the scratch server");
        }
        measurements++;
        double[] seconds = new double[READERS];
        for (int reader = 0; reader < READERS; reader++) {
            seconds[reader] = read("bench-noop-" + measurements + "-" + reader, events.size(), batch);
        }
        Arrays.sort(seconds);
        return new Delivery(events.size(), BurstResult.median(seconds));
    }

    /** A new durable reads the stream from its start; timed from the subscribe call to the last event. */
    private double read(String service, int expected, long batch) throws InterruptedException {
        AtomicInteger ofBatch = new AtomicInteger();
        AtomicLong lastArrival = new AtomicLong();
        CountDownLatch done = new CountDownLatch(1);
        try (NatsEventBus noop = BusClients.awaitReady(BusClients.start(server.url(), service))) {
            long subscribed = System.nanoTime();
            noop.subscribe(TicketUpdated.class, (event, metadata) -> {
                if (metadata.eventId().getMostSignificantBits() == batch && ofBatch.incrementAndGet() == expected) {
                    lastArrival.set(System.nanoTime());
                    done.countDown();
                }
            });
            if (!done.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                throw new IllegalStateException("The no-op durable " + service + " received " + ofBatch.get() + " of "
                        + expected + " events within " + TIMEOUT);
            }
            return (lastArrival.get() - subscribed) / 1e9;
        }
    }

    /** The events delivered and the median time three no-op durables took. */
    record Delivery(int events, double seconds) {
    }

    @Override
    public void close() {
        try {
            publisher.close();
            admin.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            server.close();
        }
    }
}
