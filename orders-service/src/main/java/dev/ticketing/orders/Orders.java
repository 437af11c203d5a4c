package dev.ticketing.orders;

import dev.ticketing.events.OrderStatus;
import java.time.Instant;
import java.util.List;
import org.bson.types.ObjectId;
import org.jspecify.annotations.Nullable;
import org.springframework.data.domain.Limit;
import org.springframework.data.mongodb.repository.MongoRepository;
import org.springframework.data.mongodb.repository.Query;

/** The orders collection. */
interface Orders extends MongoRepository<Order, String> {

    /**
     * A page of a user's orders, oldest first: by {@code createdAt}, then id (index {@link Order#OWNER_BY_CREATION}),
     * starting after {@code after}, one of the user's orders, or at the first when it is null.
     */
    default List<Order> findPageOfUser(String userId, @Nullable Order after, Limit limit) {
        if (after == null) {
            return findFirstPageOfUser(userId, limit);
        }
        ObjectId afterId = new ObjectId(after.id());
        Instant createdAt = after.createdAt();
        return createdAt == null ? findPageOfUserAfterUndated(userId, afterId, limit)
                : findPageOfUserAfter(userId, createdAt, afterId, limit);
    }

    @Query(value = "{ 'userId': ?0 }", sort = "{ 'createdAt': 1, '_id': 1 }")
    List<Order> findFirstPageOfUser(String userId, Limit limit);

    /**
     * After a dated order: those placed later, and those placed in the same millisecond with a greater id. The
     * {@code $gte} gives the index scan its start; the {@code $or} drops that millisecond's orders up to the cursor
     * (the same rule as tickets-service's list).
     */
    @Query(value = "{ 'userId': ?0, 'createdAt': { $gte: ?1 },"
            + " $or: [ { 'createdAt': { $gt: ?1 } }, { '_id': { $gt: ?2 } } ] }",
            sort = "{ 'createdAt': 1, '_id': 1 }")
    List<Order> findPageOfUserAfter(String userId, Instant createdAt, ObjectId id, Limit limit);

    /** After an order stored before {@code createdAt} existed: the undated ones with a greater id, then every dated one. */
    @Query(value = "{ 'userId': ?0, $or: [ { 'createdAt': null, '_id': { $gt: ?1 } }, { 'createdAt': { $ne: null } } ] }",
            sort = "{ 'createdAt': 1, '_id': 1 }")
    List<Order> findPageOfUserAfterUndated(String userId, ObjectId id, Limit limit);

    /** Orders still {@code created} whose window ended at or before {@code now}, soonest first (index {@code expiry}). */
    default List<Order> findExpired(Instant now, Limit limit) {
        return findByStatusAndExpiresAtLessThanEqualOrderByExpiresAtAsc(OrderStatus.CREATED, now, limit);
    }

    List<Order> findByStatusAndExpiresAtLessThanEqualOrderByExpiresAtAsc(OrderStatus status, Instant now, Limit limit);
}
