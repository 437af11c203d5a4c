package dev.ticketing.events.bus;

import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Lowest-precedence defaults, so that a service needs no bus configuration of its own: the URL from
 * {@code NATS_URL}, the service name from {@code spring.application.name}, the instance from the pod's
 * name, and {@code nats} in the readiness group. Anything a service sets wins.
 */
final class EventBusEnvironmentPostProcessor implements EnvironmentPostProcessor {

    static final String SOURCE_NAME = "ticketingEventBusDefaults";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        environment.getPropertySources().addLast(new MapPropertySource(SOURCE_NAME, Map.of(
                "ticketing.nats.url", "${NATS_URL:nats://localhost:4222}",
                "ticketing.nats.service-name", "${spring.application.name:}",
                "ticketing.nats.instance-name", "${POD_NAME:${HOSTNAME:}}",
                "management.endpoint.health.group.readiness.include", "readinessState,nats")));
    }
}
