package dev.ticketing.web.security;

import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Lets every service read its key from {@code JWT_KEY} (the contract's name) without repeating a mapping in each
 * application.yml: a lowest-precedence default {@code ticketing.security.jwt-key=${JWT_KEY:}}. Anything that sets
 * {@code ticketing.security.jwt-key} itself (a test's properties, TICKETING_SECURITY_JWTKEY) still wins.
 */
public final class JwtKeyFromEnvironment implements EnvironmentPostProcessor, Ordered {

    static final String SOURCE_NAME = "ticketingJwtKeyFromEnvironment";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (!environment.getPropertySources().contains(SOURCE_NAME)) {
            environment.getPropertySources().addLast(
                    new MapPropertySource(SOURCE_NAME, Map.of("ticketing.security.jwt-key", "${JWT_KEY:}")));
        }
    }

    /** After config data, so that addLast really is last (below application.yml). */
    @Override
    public int getOrder() {
        return ConfigDataEnvironmentPostProcessor.ORDER + 1;
    }
}
