package dev.ticketing.events.outbox;

import static org.springframework.data.mongodb.core.query.Criteria.where;
import static org.springframework.data.mongodb.core.query.Query.query;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;
import org.bson.Document;
import org.springframework.data.mongodb.core.BulkOperations;
import org.springframework.data.mongodb.core.MongoOperations;
import org.springframework.data.mongodb.core.query.Update;

/**
 * Removes published entries from their documents, many relays' removals in one unordered bulk write per collection:
 * the relay that gets the lock writes every removal waiting, its own and those queued behind the write in progress,
 * so removals group exactly when relays overlap, with no timer adding latency. Each caller returns once its own
 * entries are gone, or throws as the write failed (they are then published again, de-duplicated by their id).
 */
final class OutboxRemovals {

    private record Removal(String collection, Object id, List<String> eventIds, CompletableFuture<Void> done) {
    }

    private final MongoOperations mongo;
    private final Queue<Removal> waiting = new ConcurrentLinkedQueue<>();
    private final ReentrantLock writing = new ReentrantLock();

    OutboxRemovals(MongoOperations mongo) {
        this.mongo = mongo;
    }

    /** Removes the entries {@code eventIds} from the outbox of document {@code id}; returns when they are gone. */
    void remove(String collection, Object id, List<String> eventIds) {
        Removal removal = new Removal(collection, id, List.copyOf(eventIds), new CompletableFuture<>());
        waiting.add(removal);
        writing.lock();
        try {
            if (!removal.done().isDone()) {
                writeWaiting();
            }
        } finally {
            writing.unlock();
        }
        removal.done().join();
    }

    private void writeWaiting() {
        Map<String, List<Removal>> byCollection = new LinkedHashMap<>();
        for (Removal next = waiting.poll(); next != null; next = waiting.poll()) {
            byCollection.computeIfAbsent(next.collection(), collection -> new ArrayList<>()).add(next);
        }
        byCollection.forEach((collection, removals) -> {
            try {
                BulkOperations bulk = mongo.bulkOps(BulkOperations.BulkMode.UNORDERED, collection);
                for (Removal removal : removals) {
                    bulk.updateOne(query(where("_id").is(removal.id())), new Update().pull(OutboxEntry.FIELD,
                            new Document("eventId", new Document("$in", removal.eventIds()))));
                }
                bulk.execute();
                removals.forEach(removal -> removal.done().complete(null));
            } catch (RuntimeException e) {
                removals.forEach(removal -> removal.done().completeExceptionally(e));
            }
        });
    }
}
