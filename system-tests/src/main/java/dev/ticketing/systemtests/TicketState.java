package dev.ticketing.systemtests;

import java.math.BigDecimal;
import tools.jackson.databind.JsonNode;

/** What a client sees of a ticket, in the tickets service or embedded in an order ("" when no order holds it). */
public record TicketState(String id, long version, BigDecimal price, String orderId) {

    public static TicketState of(JsonNode ticket) {
        return new TicketState(ticket.path("id").asString(""), ticket.path("version").asLong(-1),
                ticket.path("price").decimalValue(BigDecimal.valueOf(-1)), ticket.path("orderId").asString(""));
    }

    public boolean isAt(long expectedVersion, BigDecimal expectedPrice) {
        return version == expectedVersion && price.compareTo(expectedPrice) == 0;
    }

    public boolean samePriceAndVersion(TicketState other) {
        return version == other.version && price.compareTo(other.price) == 0;
    }
}
