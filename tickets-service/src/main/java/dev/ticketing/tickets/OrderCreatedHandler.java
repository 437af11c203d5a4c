package dev.ticketing.tickets;

import dev.ticketing.events.OrderCreated;
import dev.ticketing.events.bus.EventHandler;
import dev.ticketing.events.bus.EventMetadata;
import dev.ticketing.events.bus.NotYet;
import org.springframework.stereotype.Component;

/** {@code order.created}: the ticket is reserved for the order (and {@code ticket.updated} goes out). */
@Component
class OrderCreatedHandler implements EventHandler<OrderCreated> {

    private final Tickets tickets;

    OrderCreatedHandler(Tickets tickets) {
        this.tickets = tickets;
    }

    @Override
    public void on(OrderCreated event, EventMetadata metadata) {
        Ticket ticket = tickets.findById(event.ticket().id())
                .orElseThrow(() -> new NotYet("ticket " + event.ticket().id() + " is not stored yet"));
        if (ticket.reserveFor(event.id())) {
            tickets.save(ticket);
        }
    }
}
