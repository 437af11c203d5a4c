package dev.ticketing.orders;

import dev.ticketing.events.TicketUpdated;
import dev.ticketing.events.bus.BatchEventHandler;
import dev.ticketing.events.bus.Delivery;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * {@code ticket.updated} version {@code n}: applied only onto version {@code n - 1}; early events come back
 * later (their predecessor first), repeats are acknowledged and change nothing. The events that arrived together
 * are applied together ({@link Tickets#applyUpdates}): consecutive versions of a ticket as one conditional write,
 * all tickets in one round trip, so a burst costs a write per ticket and batch, not per event.
 *
 * <p>A resync (the ticket's current state, sent again after the stream lost its history) is applied at any
 * version above the one held, or inserted, never below ({@link Tickets#applyResync}).
 */
@Component
class TicketUpdatedHandler implements BatchEventHandler<TicketUpdated> {

    private static final Logger log = LoggerFactory.getLogger(TicketUpdatedHandler.class);

    private final Tickets tickets;

    TicketUpdatedHandler(Tickets tickets) {
        this.tickets = tickets;
    }

    @Override
    public void on(List<Delivery<TicketUpdated>> deliveries) {
        List<Delivery<TicketUpdated>> applicable = new ArrayList<>(deliveries.size());
        List<Delivery<TicketUpdated>> resyncs = new ArrayList<>();
        for (Delivery<TicketUpdated> delivery : deliveries) {
            String unusable = unusable(delivery.event());
            if (unusable != null) {
                // Never applied: retried, then parked as a dead letter; its successors wait behind it.
                delivery.retry(new IllegalArgumentException("ticket.updated " + delivery.metadata().eventId() + " " + unusable));
            } else if (delivery.metadata().resync()) {
                resyncs.add(delivery);
            } else {
                applicable.add(delivery);
            }
        }
        // Resyncs first, one write each (they are rare): the updates of this batch then plan on what they brought.
        for (Delivery<TicketUpdated> resync : resyncs) {
            settle(resync, tickets.applyResync(resync.event()));
        }
        if (applicable.isEmpty()) {
            return;
        }
        Tickets.Outcome[] outcomes = tickets.applyUpdates(applicable.stream().map(Delivery::event).toList());
        for (int i = 0; i < outcomes.length; i++) {
            settle(applicable.get(i), outcomes[i]);
        }
    }

    private static void settle(Delivery<TicketUpdated> delivery, Tickets.Outcome outcome) {
        TicketUpdated event = delivery.event();
        switch (outcome) {
            case APPLIED -> { }
            case DUPLICATE -> log.debug("ticket.updated {} (ticket {} v{}) is a repeat", delivery.metadata().eventId(),
                    event.id(), event.version());
            case EARLY -> delivery.notYet("ticket " + event.id() + " is not at version " + (event.version() - 1) + " yet");
        }
    }

    /** Why the replica cannot store this event, or null when it can. */
    private static String unusable(TicketUpdated event) {
        if (event.title() == null || event.price() == null) {
            return "has no title or price";
        }
        try {
            Ticket.stored(event.price());
            return null;
        } catch (NumberFormatException | ArithmeticException e) {
            return "has a price the replica cannot store exactly: " + event.price();
        }
    }
}
