package dev.ticketing.payments;

import dev.ticketing.events.OrderCompleted;
import dev.ticketing.events.OrderStatus;
import dev.ticketing.events.bus.EventHandler;
import dev.ticketing.events.bus.EventMetadata;
import dev.ticketing.events.bus.Verdict;
import org.springframework.stereotype.Component;

/** {@code order.completed}: the replica's order is complete (paid); a POST for it is then "already paid". */
@Component
class OrderCompletedHandler implements EventHandler<OrderCompleted> {

    private final Orders orders;

    OrderCompletedHandler(Orders orders) {
        this.orders = orders;
    }

    @Override
    public Verdict on(OrderCompleted event, EventMetadata metadata) {
        return orders.advance(event.id(), event.version(), OrderStatus.COMPLETE, metadata.resync());
    }
}
