package dev.ticketing.orders;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/**
 * The body of {@code POST /api/orders}. A missing, empty or malformed id breaks the one rule; a non-string
 * ({@code {"$ne":null}}, an array) is refused while the body is read.
 */
record NewOrder(
        @NotNull(message = NewOrder.MESSAGE) @Pattern(regexp = "[0-9a-fA-F]{24}", message = NewOrder.MESSAGE)
        String ticketId) {

    static final String MESSAGE = "TicketId must be provided";
}
