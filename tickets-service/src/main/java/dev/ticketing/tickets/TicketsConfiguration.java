package dev.ticketing.tickets;

import dev.ticketing.web.errors.ErrorStatuses;
import dev.ticketing.web.security.OpenRoutes;
import java.util.Map;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;

@Configuration(proxyBeanMethods = false)
class TicketsConfiguration {

    /** Anyone may browse tickets; selling and editing need a session. */
    @Bean
    OpenRoutes browsingTickets() {
        return OpenRoutes.of(HttpMethod.GET, "/api/tickets/**");
    }

    /** The domain's refusals, in the contract's words (web-support renders them). */
    @Bean
    ErrorStatuses ticketRefusals() {
        return new ErrorStatuses(Map.of(TicketReserved.class, HttpStatus.BAD_REQUEST,
                NotOwner.class, HttpStatus.UNAUTHORIZED));
    }
}
