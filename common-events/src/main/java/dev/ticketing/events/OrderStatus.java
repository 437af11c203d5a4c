package dev.ticketing.events;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;

/** The life of an order; the wire values are the course application's. */
public enum OrderStatus {
    /** Ordered, ticket reserved, waiting for payment until the order expires. */
    CREATED("created"),
    /** Cancelled by its owner or by expiry; the ticket is free again. */
    CANCELLED("cancelled"),
    AWAITING_PAYMENT("awaiting:payment"),
    /** Paid; never cancelled by expiry. */
    COMPLETE("complete");

    private final String wireValue;

    OrderStatus(String wireValue) {
        this.wireValue = wireValue;
    }

    @JsonValue
    public String wireValue() {
        return wireValue;
    }

    /** Whether an order in this status holds its ticket. */
    public boolean reservesTicket() {
        return this != CANCELLED;
    }

    public static OrderStatus fromWireValue(String value) {
        return Arrays.stream(values())
                .filter(status -> status.wireValue.equals(value))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("Unknown order status: " + value));
    }
}
