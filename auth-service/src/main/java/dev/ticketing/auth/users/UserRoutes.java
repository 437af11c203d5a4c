package dev.ticketing.auth.users;

import dev.ticketing.web.security.OpenRoutes;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class UserRoutes {

    /** Every /api/users route serves anonymous callers: that is how they sign up, sign in or learn they are out. */
    @Bean
    OpenRoutes openUserRoutes() {
        return OpenRoutes.of("/api/users/**");
    }
}
