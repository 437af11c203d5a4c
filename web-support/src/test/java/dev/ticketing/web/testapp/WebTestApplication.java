package dev.ticketing.web.testapp;

import dev.ticketing.web.security.OpenRoutes;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpMethod;

/** A tiny service shaped like tickets: reads open, writes protected, plus routes that fail on purpose. */
@SpringBootApplication
public class WebTestApplication {

    @Bean
    OpenRoutes openProbeRoutes() {
        return OpenRoutes.of("/api/open/**").and(HttpMethod.GET, "/api/things/**");
    }
}
