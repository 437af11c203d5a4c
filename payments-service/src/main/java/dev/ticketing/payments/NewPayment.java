package dev.ticketing.payments;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/**
 * The body of {@code POST /api/payments}. A missing, empty or malformed order id breaks its one rule; a non-string
 * ({@code {"$gt":""}}, an array) is refused while the body is read.
 */
record NewPayment(
        @NotBlank(message = "Token is required") String token,
        @NotNull(message = NewPayment.ORDER_ID_REQUIRED)
        @Pattern(regexp = "[0-9a-fA-F]{24}", message = NewPayment.ORDER_ID_REQUIRED) String orderId) {

    static final String ORDER_ID_REQUIRED = "OrderId is required";
}
