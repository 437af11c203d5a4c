package dev.ticketing.tickets;

import dev.ticketing.events.OrderCreated;
import dev.ticketing.events.bus.EventHandler;
import dev.ticketing.events.bus.EventMetadata;
import dev.ticketing.events.bus.Verdict;
import org.springframework.stereotype.Component;

/** {@code order.created}: the ticket is reserved for the order (and {@code ticket.updated} goes out). */
@Component
class OrderCreatedHandler implements EventHandler<OrderCreated> {

    private final Tickets tickets;

    OrderCreatedHandler(Tickets tickets) {
        this.tickets = tickets;
    }

    @Override
    public Verdict on(OrderCreated event, EventMetadata metadata) {
        Ticket ticket = tickets.findById(event.ticket().id()).orElse(null);
        if (ticket == null) {
            return Verdict.NOT_YET; // the ticket is not stored yet
        }
        return switch (ticket.reserveFor(event.id())) {
            case MADE -> {
                tickets.save(ticket);
                yield Verdict.APPLIED;
            }
            case NONE -> Verdict.REPEAT;
            case EARLY -> Verdict.NOT_YET; // another order holds it until its cancellation arrives
        };
    }
}
