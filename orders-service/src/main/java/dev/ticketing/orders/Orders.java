package dev.ticketing.orders;

import dev.ticketing.events.OrderStatus;
import java.time.Instant;
import java.util.List;
import org.bson.types.ObjectId;
import org.springframework.data.domain.Limit;
import org.springframework.data.mongodb.repository.MongoRepository;
import org.springframework.data.mongodb.repository.Query;

/** The orders collection. */
interface Orders extends MongoRepository<Order, String> {

    /** A user's orders, oldest first (ids grow with creation time), after the given id. */
    @Query(value = "{ 'userId': ?0, '_id': { $gt: ?1 } }", sort = "{ '_id': 1 }")
    List<Order> findByUserAfter(String userId, ObjectId after, Limit limit);

    /** Orders still {@code created} whose window ended at or before {@code now}, soonest first (index {@code expiry}). */
    default List<Order> findExpired(Instant now, Limit limit) {
        return findByStatusAndExpiresAtLessThanEqualOrderByExpiresAtAsc(OrderStatus.CREATED, now, limit);
    }

    List<Order> findByStatusAndExpiresAtLessThanEqualOrderByExpiresAtAsc(OrderStatus status, Instant now, Limit limit);
}
