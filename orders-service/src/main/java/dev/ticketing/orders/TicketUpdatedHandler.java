package dev.ticketing.orders;

import com.mongodb.bulk.BulkWriteResult;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.UpdateOptions;
import dev.ticketing.events.TicketUpdated;
import dev.ticketing.events.bus.BatchEventHandler;
import dev.ticketing.events.bus.BatchEventHandler.Delivery;
import dev.ticketing.events.bus.Verdict;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.stereotype.Component;

/**
 * {@code ticket.updated} version {@code n}: applied to the replica only onto version {@code n - 1}; early events
 * come back later (their predecessor first), repeats are acknowledged and change nothing, one the replica cannot
 * store is rejected (parked at once). It plans and writes in one place: the events that arrived together are
 * planned by {@link TicketUpdatePlan} and written together, consecutive versions of a ticket as one conditional
 * write and all tickets in one round trip, so a burst costs a write per ticket and batch, not per event. Every
 * write is conditional on the version held, so any number of handlers, on one replica of this service or several,
 * can apply events at the same time without losing one.
 *
 * <p>A resync (the ticket's current state, sent again after the stream lost its history) is applied at any
 * version above the one held, or inserted, never below.
 *
 * <p>The writes go through the driver (no mapping per event) inside {@code MongoTemplate.execute}, so that an
 * unreachable database surfaces as Spring's {@code DataAccessResourceFailureException}, which the bus retries for
 * as long as the outage lasts.
 */
@Component
class TicketUpdatedHandler implements BatchEventHandler<TicketUpdated> {

    /** Re-plans after lost races before leaving the rest to the bus's redelivery. */
    private static final int PLANNING_ROUNDS = 3;

    private final MongoTemplate mongo;

    TicketUpdatedHandler(MongoTemplate mongo) {
        this.mongo = mongo;
    }

    @Override
    public void on(List<Delivery<TicketUpdated>> deliveries) {
        List<Delivery<TicketUpdated>> updates = new ArrayList<>(deliveries.size());
        List<Delivery<TicketUpdated>> resyncs = new ArrayList<>();
        for (Delivery<TicketUpdated> delivery : deliveries) {
            String unusable = unusable(delivery.event());
            if (unusable != null) {
                // No retry can store it: parked at once; its successors wait behind it.
                delivery.settle(Verdict.REJECTED, "ticket.updated " + delivery.metadata().eventId() + " " + unusable);
            } else if (delivery.metadata().resync()) {
                resyncs.add(delivery);
            } else {
                updates.add(delivery);
            }
        }
        // Resyncs first, one write each (they are rare): the updates of this batch then plan on what they brought.
        resyncs.forEach(this::applyResync);
        applyUpdates(updates);
    }

    /**
     * One read of the versions held, the plan, then one unordered bulk write of one conditional write per ticket.
     * A write that matched nothing lost a race with another replica (or handler) that moved the ticket meanwhile;
     * its events are planned again from what is stored now, a few times, and then left "not yet" for the bus to
     * bring back. The events a write applied are left unsettled: applied.
     */
    private void applyUpdates(List<Delivery<TicketUpdated>> updates) {
        List<Delivery<TicketUpdated>> open = updates;
        for (int round = 0; round < PLANNING_ROUNDS && !open.isEmpty(); round++) {
            List<TicketUpdated> events = open.stream().map(Delivery::event).toList();
            TicketUpdatePlan plan = TicketUpdatePlan.of(events, versions(events.stream().map(TicketUpdated::id).toList()));
            for (int i : plan.repeats()) {
                open.get(i).settle(Verdict.REPEAT, "the replica holds this version or a later one");
            }
            for (int i : plan.early()) {
                TicketUpdated event = open.get(i).event();
                open.get(i).settle(Verdict.NOT_YET, "ticket " + event.id() + " is not at version " + (event.version() - 1) + " yet");
            }
            List<Delivery<TicketUpdated>> planned = open;
            open = lost(plan.writes()).stream().flatMap(write -> write.covered().stream()).sorted().map(planned::get).toList();
        }
        open.forEach(delivery -> delivery.settle(Verdict.NOT_YET, "lost every race: the bus brings it back shortly"));
    }

    /** Sends the writes in one round trip; returns those that matched nothing. */
    private List<TicketUpdatePlan.Write> lost(List<TicketUpdatePlan.Write> writes) {
        if (writes.isEmpty()) {
            return List.of();
        }
        List<UpdateOneModel<Document>> models = new ArrayList<>(writes.size());
        for (TicketUpdatePlan.Write write : writes) {
            // Plain documents: {_id, version} as one filter (not $and), the same query for MongoDB, cheaper to encode,
            // and matched key for key by the in-memory test server.
            models.add(new UpdateOneModel<>(
                    new Document("_id", key(write.ticketId())).append("version", write.expected()),
                    setState(write.last())));
        }
        BulkWriteResult result = Objects.requireNonNull(mongo.execute(Ticket.class,
                collection -> collection.bulkWrite(models, new BulkWriteOptions().ordered(false))));
        if (result.getMatchedCount() == writes.size()) {
            return List.of();
        }
        // Which ones missed: the ticket is not at the run's last version now.
        Map<String, Long> now = versions(writes.stream().map(TicketUpdatePlan.Write::ticketId).toList());
        return writes.stream().filter(write -> now.getOrDefault(write.ticketId(), -1L) != write.last().version()).toList();
    }

    /**
     * The ticket as the tickets service holds it now, taken at any version above the one held, and inserted when the
     * replica holds none; never below. One conditional write, an upsert on {@code {_id, version < v}}: when the
     * replica holds {@code v} or later the filter misses and the insert it then tries collides with the stored id, a
     * repeat. An insert that raced another for a ticket not held is decided again.
     */
    private void applyResync(Delivery<TicketUpdated> resync) {
        TicketUpdated state = resync.event();
        Document filter = new Document("_id", key(state.id())).append("version", new Document("$lt", state.version()));
        Document update = setState(state);
        for (int round = 0; round < PLANNING_ROUNDS; round++) {
            try {
                mongo.execute(Ticket.class, collection -> collection.updateOne(filter, update, new UpdateOptions().upsert(true)));
                return; // applied
            } catch (DuplicateKeyException stored) {
                Long held = versions(List.of(state.id())).get(state.id());
                if (held != null && held >= state.version()) {
                    resync.settle(Verdict.REPEAT, "the replica holds this version or a later one");
                    return;
                }
            }
        }
        resync.settle(Verdict.NOT_YET, "lost every race: the bus brings it back shortly");
    }

    /** The update that makes a stored ticket what {@code state} says, its version included. */
    private static Document setState(TicketUpdated state) {
        return new Document("$set", new Document("title", state.title())
                .append("price", Ticket.stored(state.price()))
                .append("version", state.version()));
    }

    /** The version the replica holds of each of these tickets that it holds at all. */
    private Map<String, Long> versions(Collection<String> ids) {
        Map<Object, String> byKey = new HashMap<>();
        for (String id : ids) {
            byKey.put(key(id), id);
        }
        Document query = new Document("_id", new Document("$in", new ArrayList<>(byKey.keySet())));
        return Objects.requireNonNull(mongo.execute(Ticket.class, collection -> {
            Map<String, Long> versions = new HashMap<>();
            for (Document ticket : collection.find(query).projection(new Document("version", 1))) {
                versions.put(byKey.get(ticket.get("_id")), ticket.get("version", Number.class).longValue());
            }
            return versions;
        }));
    }

    /** The id as stored: Spring Data keeps a String id that is a valid ObjectId as an ObjectId. */
    private Object key(String id) {
        return Objects.requireNonNull(mongo.getConverter().convertId(id, ObjectId.class));
    }

    /** Why the replica cannot store this event, or null when it can. */
    private static @Nullable String unusable(TicketUpdated event) {
        if (event.title() == null || event.price() == null) {
            return "has no title or price";
        }
        try {
            Ticket.stored(event.price());
            return null;
        } catch (NumberFormatException | ArithmeticException e) {
            return "has a price the replica cannot store exactly: " + event.price();
        }
    }
}
