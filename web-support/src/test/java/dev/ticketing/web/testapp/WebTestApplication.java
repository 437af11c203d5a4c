package dev.ticketing.web.testapp;

import dev.ticketing.web.errors.ErrorStatuses;
import dev.ticketing.web.security.OpenRoutes;
import java.util.Map;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;

/** A tiny service shaped like tickets: reads open, writes protected, plus routes that fail on purpose. */
@SpringBootApplication
public class WebTestApplication {

    @Bean
    OpenRoutes openProbeRoutes() {
        return OpenRoutes.of("/api/open/**").and(HttpMethod.GET, "/api/things/**");
    }

    @Bean
    ErrorStatuses probeErrors() {
        return new ErrorStatuses(Map.of(ProbeController.ThingReserved.class, HttpStatus.BAD_REQUEST,
                ProbeController.NotTheOwner.class, HttpStatus.UNAUTHORIZED));
    }
}
