package dev.ticketing.tickets;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.math.BigDecimal;
import org.jspecify.annotations.Nullable;

/** A ticket as the API shows it: {@code orderId} only while reserved; nothing internal. */
record TicketView(String id, String title, BigDecimal price, String userId, long version,
        @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String orderId) {

    static TicketView of(Ticket ticket) {
        return new TicketView(ticket.id(), ticket.title(), ticket.price(), ticket.userId(), ticket.version(),
                ticket.orderId());
    }
}
