package dev.ticketing.testsupport;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistrar;

/**
 * Import into a Spring Boot test to point it at the real test servers: {@code ticketing.nats.url} and
 * {@code spring.mongodb.uri} (a database named after the application, so services never share one).
 */
@TestConfiguration(proxyBeanMethods = false)
public class TestServersConfiguration {

    @Bean
    DynamicPropertyRegistrar ticketingTestServers(org.springframework.core.env.Environment environment) {
        String database = environment.getProperty("spring.application.name", "ticketing").replaceAll("[^A-Za-z0-9_-]", "_");
        return registry -> {
            registry.add("ticketing.nats.url", () -> TestServers.nats().url());
            registry.add("spring.mongodb.uri", () -> TestServers.mongoUri(database));
        };
    }
}
