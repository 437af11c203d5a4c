package dev.ticketing.payments;

import static org.springframework.data.mongodb.core.query.Criteria.where;
import static org.springframework.data.mongodb.core.query.Query.query;

import dev.ticketing.events.OrderStatus;
import dev.ticketing.events.bus.Verdict;
import java.util.Optional;
import org.bson.types.Decimal128;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Repository;

/**
 * The order replica, written only by the order handlers under the contract's rule 3: version {@code n} only onto
 * {@code n - 1}, each change one write conditional on the version held, so replicas of this service and redeliveries
 * can apply events at the same time without losing one. A resync (the order restated after the stream lost its
 * history) is taken at any version above the one held, never below.
 */
@Repository
class Orders {

    private final MongoTemplate mongo;

    Orders(MongoTemplate mongo) {
        this.mongo = mongo;
    }

    Optional<Order> findById(String id) {
        return Optional.ofNullable(mongo.findById(id, Order.class));
    }

    /** Stores an order as first published; a repeat when it is stored already (at that version or later). */
    Verdict insert(Order order) {
        try {
            mongo.insert(order);
            return Verdict.APPLIED;
        } catch (DuplicateKeyException alreadyStored) {
            return Verdict.REPEAT;
        }
    }

    /**
     * The order as its owner holds it now (a resync of {@code order.created}): one upsert on {@code {_id, version < v}}.
     * When the replica holds {@code v} or later the filter misses and the insert collides with the stored id: a repeat.
     */
    Verdict restate(Order state) {
        Update update = new Update().set("version", state.version()).set("userId", state.userId())
                .set("price", new Decimal128(state.price())).set("status", state.status());
        try {
            mongo.upsert(held(state.id()).addCriteria(where("version").lt(state.version())), update, Order.class);
            return Verdict.APPLIED;
        } catch (DuplicateKeyException newerHeld) {
            return Verdict.REPEAT;
        }
    }

    /**
     * Version {@code version} of an order moves it to {@code status}: applied onto {@code version - 1} only (a resync:
     * onto any lower version); early when the replica holds less (or nothing), a repeat when it holds that or more. A
     * resync of an order never held is a repeat too: no payment can exist for it, and the event lacks its owner and price.
     */
    Verdict advance(String id, long version, OrderStatus status, boolean resync) {
        Query onto = held(id).addCriteria(resync ? where("version").lt(version) : where("version").is(version - 1));
        if (mongo.updateFirst(onto, new Update().set("status", status).set("version", version), Order.class)
                .getMatchedCount() == 1) {
            return Verdict.APPLIED;
        }
        if (resync) {
            return Verdict.REPEAT;
        }
        long stored = findById(id).map(Order::version).orElse(-1L);
        return stored < version - 1 ? Verdict.NOT_YET : Verdict.REPEAT;
    }

    private static Query held(String id) {
        return query(where("_id").is(id));
    }
}
