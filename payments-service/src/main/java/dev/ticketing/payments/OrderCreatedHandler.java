package dev.ticketing.payments;

import dev.ticketing.events.OrderCreated;
import dev.ticketing.events.bus.EventHandler;
import dev.ticketing.events.bus.EventMetadata;
import dev.ticketing.events.bus.Verdict;
import org.bson.types.Decimal128;
import org.springframework.stereotype.Component;

/** {@code order.created}: the replica stores the order (a resync restates it at its current version and status). */
@Component
class OrderCreatedHandler implements EventHandler<OrderCreated> {

    private final Orders orders;

    OrderCreatedHandler(Orders orders) {
        this.orders = orders;
    }

    @Override
    public Verdict on(OrderCreated event, EventMetadata metadata) {
        try {
            new Decimal128(event.ticket().price());
        } catch (NumberFormatException unstorable) {
            return Verdict.REJECTED; // no retry can store a price a Decimal128 cannot hold exactly: parked at once
        }
        Order order = new Order(event.id(), event.version(), event.userId(), event.ticket().price(), event.status());
        return metadata.resync() ? orders.restate(order) : orders.insert(order);
    }
}
