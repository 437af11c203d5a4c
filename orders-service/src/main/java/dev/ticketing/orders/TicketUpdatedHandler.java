package dev.ticketing.orders;

import dev.ticketing.events.TicketUpdated;
import dev.ticketing.events.bus.EventHandler;
import dev.ticketing.events.bus.EventMetadata;
import dev.ticketing.events.bus.NotYet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * {@code ticket.updated} version {@code n}: applied only onto version {@code n - 1}; early events come back
 * later (their predecessor first), repeats are acknowledged and change nothing.
 */
@Component
class TicketUpdatedHandler implements EventHandler<TicketUpdated> {

    private static final Logger log = LoggerFactory.getLogger(TicketUpdatedHandler.class);

    private final Tickets tickets;

    TicketUpdatedHandler(Tickets tickets) {
        this.tickets = tickets;
    }

    @Override
    public void on(TicketUpdated event, EventMetadata metadata) {
        switch (tickets.applyUpdate(event.id(), event.version(), event.title(), event.price())) {
            case APPLIED -> { }
            case DUPLICATE -> log.debug("ticket.updated {} (ticket {} v{}) is a repeat", metadata.eventId(),
                    event.id(), event.version());
            case EARLY -> throw new NotYet("ticket " + event.id() + " is not at version " + (event.version() - 1) + " yet");
        }
    }
}
