package dev.ticketing.orders;

import static org.springframework.data.mongodb.core.query.Criteria.where;
import static org.springframework.data.mongodb.core.query.Query.query;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.stereotype.Repository;

/**
 * The ticket replica collection, as the orders need it. {@link TicketUpdatedHandler} writes the updates itself,
 * each a conditional write on the version held.
 */
@Repository
class Tickets {

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

    Optional<Ticket> findById(String id) {
        return Optional.ofNullable(mongo.findById(id, Ticket.class));
    }

    List<Ticket> findAllById(Collection<String> ids) {
        return mongo.find(query(where("_id").in(ids)), Ticket.class);
    }
}
