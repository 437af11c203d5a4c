package dev.ticketing.events.resync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import dev.ticketing.events.TicketUpdated;
import dev.ticketing.events.bus.EventBusSettings;
import dev.ticketing.events.bus.NatsEventBus;
import dev.ticketing.events.bus.Verdict;
import dev.ticketing.testsupport.NatsServer;
import dev.ticketing.testsupport.TestServers;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.bson.Document;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.mongodb.core.MongoTemplate;

/**
 * One resync per new event stream, across replicas and restarts: the claim in the service's database, and what the
 * winner puts on a real bus.
 */
class StreamResyncIntegrationTests {

    private static final Duration PATIENCE = Duration.ofSeconds(60); // generous: CI runs with a core kept busy
    private static final String STREAM = "TICKETING";

    private final NatsServer nats = TestServers.dedicatedNats();
    private final String database = "resync_" + System.nanoTime();
    private final List<AutoCloseable> toClose = new ArrayList<>();
    /** Resync events seen by an observer, by event id: a record republished twice for one stream is seen once. */
    private final Map<String, TicketUpdated> observed = new ConcurrentHashMap<>();

    @AfterEach
    void stopEverything() throws Exception {
        for (AutoCloseable closeable : toClose.reversed()) {
            closeable.close();
        }
        nats.close();
    }

    @Test
    void exactlyOneOfTwoReplicasWinsEachNewStream() throws Exception {
        NatsEventBus bus = bus("tickets-service");
        StreamResync first = resync(mongo(), bus, new Records(3));
        StreamResync second = resync(mongo(), bus, new Records(3));
        Instant created = Instant.parse("2026-03-01T10:00:00.123Z");

        for (int stream = 0; stream < 20; stream++) {
            Instant createdAt = created.plusSeconds(stream);
            // Round 0 races to store the first marker (records exist, so its winner resyncs); the rest to move it.
            List<Boolean> wins = race(() -> first.claim(STREAM, createdAt), () -> second.claim(STREAM, createdAt));
            assertThat(wins).as("claims of the stream created at %s", createdAt).containsExactlyInAnyOrder(true, false);
            assertThat(first.claim(STREAM, createdAt)).as("a later claim of the same stream").isFalse();
        }
    }

    @Test
    void resyncsOncePerStreamAndNotAgainAfterARestart() throws Exception {
        NatsEventBus bus = bus("tickets-service");
        watchResyncs();
        Records records = new Records(1201); // three pages
        StreamResync before = started(resync(mongo(), bus, records), bus);

        // No marker yet but records: every record goes out once, marked as a resync, at its current version.
        await().atMost(PATIENCE).until(() -> observed.size() == 1201);
        assertThat(observed.values()).containsExactlyInAnyOrderElementsOf(records.states);
        await().atMost(PATIENCE).until(() -> before.decided() != null);
        Instant firstStream = before.decided();
        before.stop();

        // A restart: the marker already names this stream, so the new process neither reads nor publishes anything.
        Records afterRestart = new Records(1201);
        StreamResync restarted = started(resync(mongo(), bus, afterRestart), bus);
        await().atMost(PATIENCE).until(() -> firstStream.equals(restarted.decided()));
        assertThat(afterRestart.pages).hasValue(0);

        // The server loses its store: the stream is made again, and the running process resyncs for it.
        observed.clear();
        nats.wipeStore();
        nats.start();
        await().atMost(PATIENCE).until(() -> observed.size() == 1201);
        assertThat(restarted.decided()).isAfter(firstStream);
        assertThat(storedMarker()).isEqualTo(restarted.decided());
    }

    @Test
    void aServiceWithoutRecordsOnlyNotesTheStream() {
        NatsEventBus bus = bus("tickets-service");
        Records none = new Records(0);
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        StreamResync fresh = started(new StreamResync(mongo(), bus, none, meters), bus);

        await().atMost(PATIENCE).until(() -> fresh.decided() != null);
        assertThat(storedMarker()).isEqualTo(fresh.decided());
        assertThat(meters.get("ticketing.resync.republished").counter().count()).isZero();
        assertThat(none.pages).as("only asked whether there is any record").hasValue(1);
    }

    private NatsEventBus bus(String service) {
        NatsEventBus bus = NatsEventBus.start(EventBusSettings.of(nats.url(), service)
                .withChecks(Duration.ofMillis(200), Duration.ofSeconds(2)), new SimpleMeterRegistry());
        toClose.add(bus);
        return bus;
    }

    private void watchResyncs() {
        NatsEventBus observer = bus("observer");
        observer.subscribe(TicketUpdated.class, (event, metadata) -> {
            if (metadata.resync()) {
                observed.put(metadata.eventId().toString(), event);
            }
            return Verdict.APPLIED;
        });
    }

    private MongoTemplate mongo() {
        MongoClient client = MongoClients.create(TestServers.mongoUri(database));
        toClose.add(client);
        return new MongoTemplate(client, database);
    }

    private StreamResync resync(MongoTemplate mongo, NatsEventBus bus, Records records) {
        return new StreamResync(mongo, bus, records, new SimpleMeterRegistry());
    }

    /** Wired as the auto-configuration wires it. */
    private StreamResync started(StreamResync resync, NatsEventBus bus) {
        bus.onStreamCreated(resync::streamCreated);
        resync.start();
        toClose.add(resync::stop);
        return resync;
    }

    private @Nullable Instant storedMarker() {
        Document marker = mongo().getCollection(StreamResync.COLLECTION).find(new Document("_id", STREAM)).first();
        return marker == null ? null : marker.getDate("createdAt").toInstant();
    }

    @SafeVarargs
    private static <T> List<T> race(Callable<T>... contenders) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(contenders.length);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<T>> results = new ArrayList<>();
            for (Callable<T> contender : contenders) {
                results.add(threads.submit(() -> {
                    start.await();
                    return contender.call();
                }));
            }
            start.countDown();
            List<T> values = new ArrayList<>();
            for (Future<T> result : results) {
                values.add(result.get());
            }
            return values;
        } finally {
            threads.shutdownNow();
        }
    }

    /** A service's records in memory, in id order, each at version 3; counts the pages asked for. */
    private static final class Records implements ResyncSource {

        final List<TicketUpdated> states;
        final AtomicInteger pages = new AtomicInteger();

        Records(int count) {
            states = IntStream.range(0, count)
                    .mapToObj(n -> new TicketUpdated("ticket-%05d".formatted(n), 3, "Show " + n, BigDecimal.TEN, "seller", null))
                    .toList();
        }

        @Override
        public List<TicketUpdated> page(@Nullable String afterId, int limit) {
            pages.incrementAndGet();
            return states.stream().filter(state -> afterId == null || state.id().compareTo(afterId) > 0).limit(limit).toList();
        }
    }
}
