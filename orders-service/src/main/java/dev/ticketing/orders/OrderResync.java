package dev.ticketing.orders;

import static org.springframework.data.mongodb.core.query.Criteria.where;
import static org.springframework.data.mongodb.core.query.Query.query;

import dev.ticketing.events.VersionedEvent;
import dev.ticketing.events.resync.ResyncSource;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.bson.types.ObjectId;
import org.jspecify.annotations.Nullable;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.MongoOperations;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Component;

/**
 * What this service republishes when the event stream lost its history (see common-events' {@code StreamResync}):
 * every order as it is now, in id order; an order that holds its ticket with the ticket's price from the replica
 * (one read per page). A reserved ticket cannot be edited, so that is the price it was reserved at.
 */
@Component
class OrderResync implements ResyncSource {

    private final MongoOperations mongo;
    private final Tickets tickets;

    OrderResync(MongoOperations mongo, Tickets tickets) {
        this.mongo = mongo;
        this.tickets = tickets;
    }

    @Override
    public List<VersionedEvent> page(@Nullable String afterId, int limit) {
        Query page = (afterId == null ? new Query() : query(where("_id").gt(new ObjectId(afterId))))
                .with(Sort.by("_id")).limit(limit);
        List<Order> orders = mongo.find(page, Order.class);
        List<String> held = orders.stream().filter(order -> order.status().reservesTicket()).map(Order::ticketId)
                .distinct().toList();
        Map<String, BigDecimal> prices = held.isEmpty() ? Map.of()
                : tickets.findAllById(held).stream().collect(Collectors.toMap(Ticket::id, Ticket::price));
        return orders.stream().map(order -> order.currentState(prices.get(order.ticketId()))).toList();
    }
}
