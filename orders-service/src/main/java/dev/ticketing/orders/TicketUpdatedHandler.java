package dev.ticketing.orders;

import dev.ticketing.events.TicketUpdated;
import dev.ticketing.events.bus.BatchEventHandler;
import dev.ticketing.events.bus.Delivery;
import dev.ticketing.events.bus.Verdict;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * {@code ticket.updated} version {@code n}: applied only onto version {@code n - 1}; early events come back
 * later (their predecessor first), repeats are acknowledged and change nothing, one the replica cannot store is
 * rejected (parked at once). The events that arrived together
 * are applied together ({@link Tickets#applyUpdates}): consecutive versions of a ticket as one conditional write,
 * all tickets in one round trip, so a burst costs a write per ticket and batch, not per event.
 *
 * <p>A resync (the ticket's current state, sent again after the stream lost its history) is applied at any
 * version above the one held, or inserted, never below ({@link Tickets#applyResync}).
 */
@Component
class TicketUpdatedHandler implements BatchEventHandler<TicketUpdated> {

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
                // No retry can store it: parked at once; its successors wait behind it.
                delivery.settle(Verdict.REJECTED, "ticket.updated " + delivery.metadata().eventId() + " " + unusable);
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
        Verdict[] verdicts = tickets.applyUpdates(applicable.stream().map(Delivery::event).toList());
        for (int i = 0; i < verdicts.length; i++) {
            settle(applicable.get(i), verdicts[i]);
        }
    }

    private static void settle(Delivery<TicketUpdated> delivery, Verdict verdict) {
        TicketUpdated event = delivery.event();
        String why = switch (verdict) {
            case REPEAT -> "ticket " + event.id() + " is at version " + event.version() + " or later already";
            case NOT_YET -> "ticket " + event.id() + " is not at version " + (event.version() - 1) + " yet";
            default -> "applied";
        };
        delivery.settle(verdict, why);
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
