package dev.ticketing.tickets;

import static org.springframework.data.mongodb.core.query.Criteria.where;
import static org.springframework.data.mongodb.core.query.Query.query;

import dev.ticketing.events.VersionedEvent;
import dev.ticketing.events.resync.ResyncSource;
import java.util.List;
import org.bson.types.ObjectId;
import org.jspecify.annotations.Nullable;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.MongoOperations;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Component;

/**
 * What this service republishes when the event stream lost its history (see common-events' {@code StreamResync}):
 * every ticket as it is now, in id order.
 */
@Component
class TicketResync implements ResyncSource {

    private final MongoOperations mongo;

    TicketResync(MongoOperations mongo) {
        this.mongo = mongo;
    }

    @Override
    public List<VersionedEvent> page(@Nullable String afterId, int limit) {
        Query page = (afterId == null ? new Query() : query(where("_id").gt(new ObjectId(afterId))))
                .with(Sort.by("_id")).limit(limit);
        return mongo.find(page, Ticket.class).stream().map(Ticket::currentState).toList();
    }
}
