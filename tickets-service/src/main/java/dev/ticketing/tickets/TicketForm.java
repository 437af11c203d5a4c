package dev.ticketing.tickets;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;

/**
 * The body of {@code POST} and {@code PUT /api/tickets}. The price arrives as text so that a JSON number
 * ({@code 10.5}) and a numeric string ({@code "10.5"}) are read alike and exactly; arrays and objects are
 * refused while the body is read. The two routes word the price rule differently, as the course does.
 */
final class TicketForm {

    private TicketForm() {
    }

    record NewTicket(
            @NotBlank(message = "Title is required") @Size(max = 200, message = "Title must be at most 200 characters")
            String title,
            @ValidPrice(message = "Price must be greater than 0") String price) {

        BigDecimal parsedPrice() {
            return Prices.parse(price).orElseThrow();
        }
    }

    record TicketChanges(
            @NotBlank(message = "Title is required") @Size(max = 200, message = "Title must be at most 200 characters")
            String title,
            @ValidPrice(message = "Price must be provided and must be greater than 0") String price) {

        BigDecimal parsedPrice() {
            return Prices.parse(price).orElseThrow();
        }
    }
}
