package dev.ticketing.orders;

import dev.ticketing.events.TicketCreated;
import dev.ticketing.events.bus.EventHandler;
import dev.ticketing.events.bus.EventMetadata;
import dev.ticketing.events.bus.Verdict;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/** {@code ticket.created}: the replica stores the ticket with the publisher's id and version. */
@Component
class TicketCreatedHandler implements EventHandler<TicketCreated> {

    private static final Logger log = LoggerFactory.getLogger(TicketCreatedHandler.class);

    private final Tickets tickets;

    TicketCreatedHandler(Tickets tickets) {
        this.tickets = tickets;
    }

    @Override
    public Verdict on(TicketCreated event, EventMetadata metadata) {
        if (tickets.insertIfAbsent(new Ticket(event.id(), event.title(), event.price(), event.version()))) {
            return Verdict.APPLIED;
        }
        log.debug("ticket.created {} is a repeat: ticket {} is already stored", metadata.eventId(), event.id());
        return Verdict.REPEAT;
    }
}
