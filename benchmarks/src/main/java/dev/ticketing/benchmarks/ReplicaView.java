package dev.ticketing.benchmarks;

import static com.mongodb.client.model.Filters.in;
import static com.mongodb.client.model.Projections.include;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.jspecify.annotations.Nullable;

/** The orders-service ticket replica read straight from its database (local-stack's {@code orders.tickets}). */
final class ReplicaView implements AutoCloseable {

    private final MongoClient client;
    private final MongoCollection<Document> tickets;
    private final Queue<Expectation> outstanding = new ConcurrentLinkedQueue<>();
    private @Nullable ScheduledExecutorService poller;

    ReplicaView(String serverUri) {
        this.client = MongoClients.create(serverUri);
        this.tickets = client.getDatabase("orders").getCollection("tickets");
    }

    /** The replica's version of each of these tickets that it holds. */
    Map<String, Long> versions(Collection<String> ids) {
        // Spring Data stores a String id that is a valid ObjectId as an ObjectId: match either spelling.
        List<Object> keys = new ArrayList<>(ids);
        ids.stream().filter(ObjectId::isValid).map(ObjectId::new).forEach(keys::add);
        Map<String, Long> versions = new HashMap<>();
        for (Document ticket : tickets.find(in("_id", keys)).projection(include("version"))) {
            Object id = ticket.get("_id");
            versions.put(id instanceof ObjectId objectId ? objectId.toHexString() : String.valueOf(id),
                    ticket.get("version", Number.class).longValue());
        }
        return versions;
    }

    void await(Collection<String> ids, long version, Duration timeout, String what) throws InterruptedException {
        // A find, not countDocuments: the in-memory server runs a count as an aggregation, several times dearer.
        Load.await(what + ": all " + ids.size() + " tickets at version " + version + " in the replica", timeout, 10,
                () -> versions(ids).values().stream().filter(held -> held >= version).count(),
                held -> held == ids.size());
    }

    /**
     * Registered before the request is sent, so an update applied before the answer is seen too. The first starts
     * polling every millisecond while anything is outstanding: applied means at the end of the first poll showing it.
     */
    synchronized Expectation expect(String id, long version, long dueNanos) {
        if (poller == null) {
            poller = Executors.newSingleThreadScheduledExecutor();
            poller.scheduleWithFixedDelay(this::poll, 0, 1, TimeUnit.MILLISECONDS);
        }
        Expectation expectation = new Expectation(id, version, dueNanos);
        outstanding.add(expectation);
        return expectation;
    }

    void forget(Expectation expectation) {
        outstanding.remove(expectation);
    }

    private void poll() {
        if (outstanding.isEmpty()) {
            return;
        }
        Map<String, Long> versions = versions(outstanding.stream().map(e -> e.id).collect(Collectors.toSet()));
        long now = System.nanoTime();
        for (Expectation expectation : outstanding) {
            if (versions.getOrDefault(expectation.id, -1L) >= expectation.version) {
                expectation.appliedNanos = now;
                outstanding.remove(expectation);
            }
        }
    }

    @Override
    public synchronized void close() throws InterruptedException {
        if (poller != null) {
            poller.shutdownNow();
            poller.awaitTermination(5, TimeUnit.SECONDS);
        }
        client.close();
    }

    /** One update the benchmark waits for: ticket {@code id} at {@code version} or later; its request's instants. */
    static final class Expectation {
        final String id;
        final long dueNanos;
        volatile long version;
        volatile long answeredNanos;
        volatile long appliedNanos;

        Expectation(String id, long version, long dueNanos) {
            this.id = id;
            this.version = version;
            this.dueNanos = dueNanos;
        }

        boolean applied() {
            return appliedNanos != 0;
        }
    }
}
