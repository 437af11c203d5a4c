package dev.ticketing.orders;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.ticketing.events.OrderStatus;
import java.math.BigDecimal;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * An order as the API shows it, with its ticket as the replica holds it now (title, price and version may
 * have changed since the order was placed, as with the course's {@code populate('ticket')}).
 */
record OrderView(String id, String userId, OrderStatus status, Instant expiresAt, long version, TicketView ticket) {

    static OrderView of(Order order, @Nullable Ticket ticket) {
        return new OrderView(order.id(), order.userId(), order.status(), order.expiresAt(), order.version(),
                ticket == null ? TicketView.unknown(order.ticketId()) : TicketView.of(ticket));
    }

    /** The embedded ticket; only its id is known if the replica has lost it (it never deletes tickets). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record TicketView(String id, @Nullable String title, @Nullable BigDecimal price, @Nullable Long version) {

        static TicketView of(Ticket ticket) {
            return new TicketView(ticket.id(), ticket.title(), ticket.price(), ticket.version());
        }

        static TicketView unknown(String id) {
            return new TicketView(id, null, null, null);
        }
    }
}
