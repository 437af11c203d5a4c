package dev.ticketing.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.math.BigDecimal;
import org.jspecify.annotations.Nullable;

/**
 * {@code ticket.updated}: a ticket was edited, reserved or released. {@code orderId} is present while the
 * ticket is reserved and absent from the JSON otherwise.
 */
public record TicketUpdated(String id, long version, String title, BigDecimal price, String userId,
        @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String orderId) implements VersionedEvent {
}
