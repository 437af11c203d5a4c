package dev.ticketing.orders;

import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Every {@code /api/orders} route needs a session, so no {@code OpenRoutes} are declared. */
@Configuration(proxyBeanMethods = false)
class OrdersConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
