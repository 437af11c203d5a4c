package dev.ticketing.tickets;

import java.time.Instant;
import java.util.List;
import org.bson.types.ObjectId;
import org.jspecify.annotations.Nullable;
import org.springframework.data.domain.Limit;
import org.springframework.data.mongodb.repository.MongoRepository;
import org.springframework.data.mongodb.repository.Query;

/**
 * The tickets collection. Available tickets are listed in the order {@code (createdAt, _id)}: creation time, and the
 * id to break ties between tickets listed in the same millisecond. A ticket stored before {@code createdAt} existed
 * has none, and MongoDB sorts a missing field before every date: such tickets come first, by id, which is also
 * their creation order as far as anyone can tell now. Paging is keyed on the same pair, so every page starts
 * exactly where the one before ended. The index {@code (orderId, createdAt, _id)} declared on {@link Ticket} serves
 * the filter and the sort of these queries.
 */
interface Tickets extends MongoRepository<Ticket, String> {

    /** Tickets not reserved, in listing order, after {@code cursor} (from the start when there is none). */
    default List<Ticket> availableAfter(@Nullable Ticket cursor, Limit limit) {
        if (cursor == null) {
            return findAvailable(limit);
        }
        ObjectId id = new ObjectId(cursor.id());
        Instant createdAt = cursor.createdAt();
        return createdAt == null ? findAvailableAfterUndated(id, limit) : findAvailableAfter(createdAt, id, limit);
    }

    @Query(value = "{ 'orderId': null }", sort = "{ 'createdAt': 1, '_id': 1 }")
    List<Ticket> findAvailable(Limit limit);

    /**
     * After a dated ticket: those listed later, and those listed in the same millisecond with a greater id. The
     * {@code $gte} gives the index scan its start; the {@code $or} drops that millisecond's tickets up to the cursor.
     */
    @Query(value = "{ 'orderId': null, 'createdAt': { $gte: ?0 },"
            + " $or: [ { 'createdAt': { $gt: ?0 } }, { '_id': { $gt: ?1 } } ] }",
            sort = "{ 'createdAt': 1, '_id': 1 }")
    List<Ticket> findAvailableAfter(Instant createdAt, ObjectId id, Limit limit);

    /** After a ticket without {@code createdAt}: the undated ones with a greater id, then every dated one. */
    @Query(value = "{ 'orderId': null,"
            + " $or: [ { 'createdAt': null, '_id': { $gt: ?0 } }, { 'createdAt': { $ne: null } } ] }",
            sort = "{ 'createdAt': 1, '_id': 1 }")
    List<Ticket> findAvailableAfterUndated(ObjectId id, Limit limit);
}
