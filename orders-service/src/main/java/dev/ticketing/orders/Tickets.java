package dev.ticketing.orders;

import static org.springframework.data.mongodb.core.query.Criteria.where;
import static org.springframework.data.mongodb.core.query.Query.query;

import com.mongodb.bulk.BulkWriteResult;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.UpdateOneModel;
import dev.ticketing.events.TicketUpdated;
import dev.ticketing.events.bus.Verdict;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.stereotype.Repository;

/**
 * The ticket replica collection. Every change is a conditional write on the version held, so any number of
 * handlers, on one replica of this service or several, can apply events at the same time without losing one.
 */
@Repository
class Tickets {

    /** Re-plans after lost races before leaving the rest to the bus's redelivery. */
    private static final int PLANNING_ROUNDS = 3;

    private final MongoTemplate mongo;

    Tickets(MongoTemplate mongo) {
        this.mongo = mongo;
    }

    /** Stores a ticket as first published. Returns false when it is already stored (a repeat). */
    boolean insertIfAbsent(Ticket ticket) {
        try {
            mongo.insert(ticket);
            return true;
        } catch (DuplicateKeyException alreadyStored) {
            return false;
        }
    }

    /**
     * Applies a batch of {@code ticket.updated} events as {@link TicketUpdatePlan} says: one read of the versions
     * held, then one unordered bulk write of one conditional write per ticket, through the driver (no mapping per
     * event) inside {@code MongoTemplate.execute}, so that an unreachable database surfaces as Spring's
     * {@code DataAccessResourceFailureException}, which the bus retries for as long as the outage lasts. A write
     * that matched nothing lost a race with another replica (or handler) that moved the ticket meanwhile; its
     * events are planned again from what is stored now, a few times, and then left early for the bus to bring
     * back. Returns each event's verdict (applied, repeat or not yet), by its index in the batch.
     */
    Verdict[] applyUpdates(List<TicketUpdated> batch) {
        Verdict[] outcomes = new Verdict[batch.size()];
        List<Integer> open = IntStream.range(0, batch.size()).boxed().toList();
        for (int round = 0; round < PLANNING_ROUNDS && !open.isEmpty(); round++) {
            List<TicketUpdated> events = open.stream().map(batch::get).toList();
            TicketUpdatePlan plan = TicketUpdatePlan.of(events, versions(events.stream().map(TicketUpdated::id).toList()));
            for (int i : plan.repeats()) {
                outcomes[open.get(i)] = Verdict.REPEAT;
            }
            for (int i : plan.early()) {
                outcomes[open.get(i)] = Verdict.NOT_YET;
            }
            Set<Integer> lost = write(plan.writes());
            for (TicketUpdatePlan.Write write : plan.writes()) {
                for (int i : write.covered()) {
                    if (!lost.contains(i)) {
                        outcomes[open.get(i)] = Verdict.APPLIED;
                    }
                }
            }
            List<Integer> current = open;
            open = lost.stream().sorted().map(current::get).toList();
        }
        for (int i : open) {
            outcomes[i] = Verdict.NOT_YET; // lost every race: the bus brings it back shortly
        }
        return outcomes;
    }

    /**
     * Applies a resync of {@code ticket.updated}: the ticket as the tickets service holds it now, taken at any version
     * above the one held, and inserted when the replica holds none; never below. One conditional write, an upsert on
     * {@code {_id, version < v}}: when the replica holds {@code v} or later the filter misses and the insert it then
     * tries collides with the stored id, a repeat. An insert that raced another for a ticket not held is decided again.
     */
    Verdict applyResync(TicketUpdated state) {
        Document filter = new Document("_id", key(state.id())).append("version", new Document("$lt", state.version()));
        Document update = setState(state);
        for (int round = 0; round < PLANNING_ROUNDS; round++) {
            try {
                mongo.execute(Ticket.class, collection -> collection.updateOne(filter, update, new UpdateOptions().upsert(true)));
                return Verdict.APPLIED;
            } catch (DuplicateKeyException stored) {
                Long held = versions(List.of(state.id())).get(state.id());
                if (held != null && held >= state.version()) {
                    return Verdict.REPEAT;
                }
            }
        }
        return Verdict.NOT_YET; // lost every race: the bus brings it back shortly
    }

    /** Sends the writes in one round trip; returns the covered indexes of those that matched nothing. */
    private Set<Integer> write(List<TicketUpdatePlan.Write> writes) {
        if (writes.isEmpty()) {
            return Set.of();
        }
        List<UpdateOneModel<Document>> models = new ArrayList<>(writes.size());
        for (TicketUpdatePlan.Write write : writes) {
            TicketUpdated last = write.last();
            // Plain documents: {_id, version} as one filter (not $and), the same query for MongoDB, cheaper to encode,
            // and matched key for key by the in-memory test server.
            models.add(new UpdateOneModel<>(
                    new Document("_id", key(write.ticketId())).append("version", write.expected()),
                    setState(last)));
        }
        BulkWriteResult result = mongo.execute(Ticket.class,
                collection -> collection.bulkWrite(models, new BulkWriteOptions().ordered(false)));
        if (result.getMatchedCount() == writes.size()) {
            return Set.of();
        }
        // Which ones missed: the ticket is not at the run's last version now.
        Map<String, Long> now = versions(writes.stream().map(TicketUpdatePlan.Write::ticketId).toList());
        Set<Integer> lost = new HashSet<>();
        for (TicketUpdatePlan.Write write : writes) {
            if (now.getOrDefault(write.ticketId(), -1L) != write.last().version()) {
                lost.addAll(write.covered());
            }
        }
        return lost;
    }

    /** The update that makes a stored ticket what {@code state} says, its version included. */
    private static Document setState(TicketUpdated state) {
        return new Document("$set", new Document("title", state.title())
                .append("price", Ticket.stored(state.price()))
                .append("version", state.version()));
    }

    /** The version the replica holds of each of these tickets that it holds at all. */
    Map<String, Long> versions(Collection<String> ids) {
        Map<Object, String> byKey = new HashMap<>();
        for (String id : ids) {
            byKey.put(key(id), id);
        }
        Document query = new Document("_id", new Document("$in", new ArrayList<>(byKey.keySet())));
        return mongo.execute(Ticket.class, collection -> {
            Map<String, Long> versions = new HashMap<>();
            for (Document ticket : collection.find(query).projection(new Document("version", 1))) {
                versions.put(byKey.get(ticket.get("_id")), ticket.get("version", Number.class).longValue());
            }
            return versions;
        });
    }

    /** The id as stored: Spring Data keeps a String id that is a valid ObjectId as an ObjectId. */
    private Object key(String id) {
        return mongo.getConverter().convertId(id, ObjectId.class);
    }

    Optional<Ticket> findById(String id) {
        return Optional.ofNullable(mongo.findById(id, Ticket.class));
    }

    List<Ticket> findAllById(Collection<String> ids) {
        return mongo.find(query(where("_id").in(ids)), Ticket.class);
    }
}
