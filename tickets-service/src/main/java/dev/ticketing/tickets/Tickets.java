package dev.ticketing.tickets;

import java.util.List;
import org.springframework.data.domain.Limit;
import org.springframework.data.mongodb.repository.MongoRepository;
import org.springframework.data.mongodb.repository.Query;

/** The tickets collection. */
interface Tickets extends MongoRepository<Ticket, String> {

    /** Tickets not reserved, oldest first (ids grow with creation time), after the given id. */
    @Query(value = "{ 'orderId': null, '_id': { $gt: ?0 } }", sort = "{ '_id': 1 }")
    List<Ticket> findAvailableAfter(org.bson.types.ObjectId after, Limit limit);
}
