package dev.ticketing.benchmarks;

import dev.ticketing.events.EventEnvelope;
import dev.ticketing.events.TicketUpdated;
import dev.ticketing.events.bus.EventHandler;
import dev.ticketing.events.bus.EventMetadata;
import dev.ticketing.events.bus.NatsEventBus;
import dev.ticketing.events.bus.Verdict;
import dev.ticketing.testsupport.NatsServer;
import dev.ticketing.testsupport.TestServers;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.Nats;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the bus can deliver: the same events on a scratch nats-server (the same binary, a file store of its own),
 * to no-op durables of the library, measured two ways, three times each (the median counts):
 * <ul>
 * <li><b>live</b>: a no-op durable is subscribed first, then the burst is published as the replica's was, and it
 * is timed from the first publish to the last delivery: the replica's clock exactly, so this is the like-for-like
 * figure; it includes the publishing, which bounds any consumer of a burst as it happens;</li>
 * <li><b>replay</b>: the burst is published, then new durables read it back from the stream, timed from their
 * subscribe call to the last delivery: delivery alone, with no publishing in the time.</li>
 * </ul>
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
        measurements++;
        double[] live = new double[READERS];
        for (int reader = 0; reader < READERS; reader++) {
            live[reader] = live("bench-live-" + measurements + "-" + reader, events, batch);
        }
        Arrays.sort(live);
        admin.jetStreamManagement().purgeStream(STREAM);
        Throughput published = PublishLoop.run(events.size(), IN_FLIGHT, TIMEOUT, i -> publisher.publishAsync(events.get(i)));
        if (published.incomplete() > 0) {
            throw new IllegalStateException(published.incomplete() + " events were not acknowledged by the scratch server");
        }
        double[] seconds = new double[READERS];
        for (int reader = 0; reader < READERS; reader++) {
            seconds[reader] = read("bench-noop-" + measurements + "-" + reader, events.size(), batch);
        }
        Arrays.sort(seconds);
        return new Delivery(events.size(), BurstResult.median(live), BurstResult.median(seconds));
    }

    /**
     * A no-op durable, already consuming, gets the burst as it is published; timed from the first publish. Each
     * time under event ids of its own: the server would drop the same ids as repeats within its duplicate window.
     */
    private double live(String service, List<EventEnvelope> burst, long batch) throws InterruptedException,
            IOException, JetStreamApiException {
        admin.jetStreamManagement().purgeStream(STREAM);
        long ownBatch = batch ^ ThreadLocalRandom.current().nextLong();
        List<EventEnvelope> events = new ArrayList<>(burst.size());
        for (int i = 0; i < burst.size(); i++) {
            EventEnvelope original = burst.get(i);
            events.add(new EventEnvelope(new UUID(ownBatch, i), original.payload(), original.occurredAt()));
        }
        NoOpReader reader = new NoOpReader(events.size(), ownBatch);
        try (NatsEventBus noop = BusClients.awaitReady(BusClients.start(server.url(), service))) {
            noop.subscribe(TicketUpdated.class, reader);
            BusClients.awaitReady(noop); // ready now means its subscription is consuming too
            long start = System.nanoTime();
            Throughput published = PublishLoop.run(events.size(), IN_FLIGHT, TIMEOUT, i -> publisher.publishAsync(events.get(i)));
            if (published.incomplete() > 0) {
                throw new IllegalStateException(published.incomplete() + " events were not acknowledged by the scratch server");
            }
            return (reader.awaitLast(service) - start) / 1e9;
        }
    }

    /** A new durable reads the stream from its start; timed from the subscribe call to the last event. */
    private double read(String service, int expected, long batch) throws InterruptedException {
        NoOpReader reader = new NoOpReader(expected, batch);
        try (NatsEventBus noop = BusClients.awaitReady(BusClients.start(server.url(), service))) {
            long subscribed = System.nanoTime();
            noop.subscribe(TicketUpdated.class, reader);
            return (reader.awaitLast(service) - subscribed) / 1e9;
        }
    }

    /** Does nothing with each event but count those of its burst, and notes when the last one arrived. */
    private static final class NoOpReader implements EventHandler<TicketUpdated> {

        private final int expected;
        private final long batch;
        private final AtomicInteger ofBatch = new AtomicInteger();
        private final AtomicLong lastArrival = new AtomicLong();
        private final CountDownLatch done = new CountDownLatch(1);

        NoOpReader(int expected, long batch) {
            this.expected = expected;
            this.batch = batch;
        }

        @Override
        public Verdict on(TicketUpdated event, EventMetadata metadata) {
            if (metadata.eventId().getMostSignificantBits() == batch && ofBatch.incrementAndGet() == expected) {
                lastArrival.set(System.nanoTime());
                done.countDown();
            }
            return Verdict.APPLIED;
        }

        /** When the last event arrived, in {@link System#nanoTime()}. */
        long awaitLast(String service) throws InterruptedException {
            if (!done.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                throw new IllegalStateException("The no-op durable " + service + " received " + ofBatch.get() + " of "
                        + expected + " events within " + TIMEOUT);
            }
            return lastArrival.get();
        }
    }

    /**
     * The events delivered and the median times three no-op durables took.
     *
     * @param liveSeconds from the first publish to the last delivery, the durable consuming before the burst
     * @param replaySeconds from the subscribe call to the last delivery, the burst already in the stream
     */
    record Delivery(int events, double liveSeconds, double replaySeconds) {
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
