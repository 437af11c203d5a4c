package dev.ticketing.tickets;

import dev.ticketing.events.OrderCancelled;
import dev.ticketing.events.bus.EventHandler;
import dev.ticketing.events.bus.EventMetadata;
import dev.ticketing.events.bus.NotYet;
import org.springframework.stereotype.Component;

/** {@code order.cancelled}: the ticket is released (and {@code ticket.updated} goes out without an order). */
@Component
class OrderCancelledHandler implements EventHandler<OrderCancelled> {

    private final Tickets tickets;

    OrderCancelledHandler(Tickets tickets) {
        this.tickets = tickets;
    }

    @Override
    public void on(OrderCancelled event, EventMetadata metadata) {
        Ticket ticket = tickets.findById(event.ticket().id())
                .orElseThrow(() -> new NotYet("ticket " + event.ticket().id() + " is not stored yet"));
        // A resync restates a cancellation: a ticket its order does not hold has nothing to release or wait for.
        boolean released = metadata.resync() ? ticket.releaseIfHeldBy(event.id()) : ticket.releaseFrom(event.id());
        if (released) {
            tickets.save(ticket);
        }
    }
}
