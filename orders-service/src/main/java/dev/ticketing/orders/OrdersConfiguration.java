package dev.ticketing.orders;

import dev.ticketing.web.errors.ErrorStatuses;
import java.time.Clock;
import java.util.Map;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;

/** Every {@code /api/orders} route needs a session, so no {@code OpenRoutes} are declared. */
@Configuration(proxyBeanMethods = false)
class OrdersConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    /** The domain's refusals, in the contract's words (web-support renders them). */
    @Bean
    ErrorStatuses orderRefusals() {
        return new ErrorStatuses(Map.of(TicketAlreadyReserved.class, HttpStatus.BAD_REQUEST,
                OrderComplete.class, HttpStatus.BAD_REQUEST, NotOwner.class, HttpStatus.UNAUTHORIZED));
    }
}
