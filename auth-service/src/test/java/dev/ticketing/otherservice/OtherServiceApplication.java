package dev.ticketing.otherservice;

import dev.ticketing.web.security.CurrentUser;
import java.util.Map;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Stands in for tickets or orders: nothing but web-support and one protected route, in its own application context
 * and server. It shares only the JWT key with auth, exactly as the real services will.
 */
@SpringBootApplication
public class OtherServiceApplication {

    @RestController
    static class WhoAmI {

        @GetMapping("/api/orders/whoami")
        Map<String, String> whoami(CurrentUser user) {
            return Map.of("id", user.id(), "email", user.email());
        }
    }
}
