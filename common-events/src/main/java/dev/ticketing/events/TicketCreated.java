package dev.ticketing.events;

import java.math.BigDecimal;

/** {@code ticket.created}: the tickets service stored a new ticket (version 0). */
public record TicketCreated(String id, long version, String title, BigDecimal price, String userId)
        implements VersionedEvent {
}
