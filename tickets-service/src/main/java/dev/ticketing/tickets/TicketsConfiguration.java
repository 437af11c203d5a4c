package dev.ticketing.tickets;

import dev.ticketing.web.security.OpenRoutes;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;

@Configuration(proxyBeanMethods = false)
class TicketsConfiguration {

    /** Anyone may browse tickets; selling and editing need a session. */
    @Bean
    OpenRoutes browsingTickets() {
        return OpenRoutes.of(HttpMethod.GET, "/api/tickets/**");
    }
}
