package dev.ticketing.orders;

import static org.springframework.data.mongodb.core.query.Criteria.where;
import static org.springframework.data.mongodb.core.query.Query.query;

import com.mongodb.client.result.UpdateResult;
import java.math.BigDecimal;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Repository;

/**
 * The ticket replica collection. Every write is a single conditional write, so any number of handlers, on
 * one replica of this service or several, can apply events at the same time without losing one.
 */
@Repository
class Tickets {

    /** What became of a {@code ticket.updated}. */
    enum Outcome {
        /** The replica held the previous version and now holds this one. */
        APPLIED,
        /** The replica already holds this version or a later one: a repeat. */
        DUPLICATE,
        /** The replica does not hold the previous version yet (or not the ticket at all). */
        EARLY
    }

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
     * Applies version {@code version} of a ticket only if the replica holds {@code version - 1}: one
     * conditional write, then (only when it matched nothing) a read to tell a repeat from an early event.
     */
    Outcome applyUpdate(String id, long version, String title, BigDecimal price) {
        UpdateResult result = mongo.updateFirst(
                query(where("_id").is(id).and("version").is(version - 1)),
                new Update().set("title", title).set("price", Ticket.normalized(price)).set("version", version),
                Ticket.class);
        if (result.getMatchedCount() > 0) {
            return Outcome.APPLIED;
        }
        return findById(id).filter(stored -> stored.version() >= version)
                .map(stored -> Outcome.DUPLICATE)
                .orElse(Outcome.EARLY);
    }

    Optional<Ticket> findById(String id) {
        return Optional.ofNullable(mongo.findById(id, Ticket.class));
    }

    List<Ticket> findAllById(Collection<String> ids) {
        return mongo.find(query(where("_id").in(ids)), Ticket.class);
    }
}
