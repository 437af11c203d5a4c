package dev.ticketing.tickets;

import dev.ticketing.events.OrderCancelled;
import dev.ticketing.events.bus.EventHandler;
import dev.ticketing.events.bus.EventMetadata;
import dev.ticketing.events.bus.Verdict;
import org.springframework.stereotype.Component;

/** {@code order.cancelled}: the ticket is released (and {@code ticket.updated} goes out without an order). */
@Component
class OrderCancelledHandler implements EventHandler<OrderCancelled> {

    private final Tickets tickets;

    OrderCancelledHandler(Tickets tickets) {
        this.tickets = tickets;
    }

    @Override
    public Verdict on(OrderCancelled event, EventMetadata metadata) {
        Ticket ticket = tickets.findById(event.ticket().id()).orElse(null);
        if (ticket == null) {
            return Verdict.NOT_YET; // the ticket is not stored yet
        }
        // A resync restates a cancellation: a ticket its order does not hold has nothing to release or wait for.
        Ticket.Change change = metadata.resync() ? ticket.releaseIfHeldBy(event.id()) : ticket.releaseFrom(event.id());
        return switch (change) {
            case MADE -> {
                tickets.save(ticket);
                yield Verdict.APPLIED;
            }
            case NONE -> Verdict.REPEAT;
            case EARLY -> Verdict.NOT_YET; // the order's creation has not been applied yet
        };
    }
}
