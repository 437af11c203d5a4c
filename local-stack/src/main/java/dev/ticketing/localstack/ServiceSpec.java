package dev.ticketing.localstack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * One service of the system, as the launcher runs it: a module whose Spring Boot jar is started
 * {@code replicas} times, with its own database.
 *
 * @param name the Kubernetes Service name, which is also the Maven module and the jar's name
 * @param database the MongoDB database the service owns
 * @param replicas how many processes
 * @param environment variables only this service gets
 */
record ServiceSpec(String name, String database, int replicas, Map<String, String> environment) {

    ServiceSpec {
        environment = Map.copyOf(environment);
    }

    /** The three services; data, so the launcher works on whichever of them the checkout has. */
    static List<ServiceSpec> all(StackSettings settings) {
        Map<String, String> orders = new LinkedHashMap<>();
        if (settings.orderExpiration() != null) {
            orders.put("ORDER_EXPIRATION", settings.orderExpiration().toString());
        }
        List<ServiceSpec> services = new ArrayList<>();
        services.add(new ServiceSpec("auth-service", "auth", 1, Map.of()));
        services.add(new ServiceSpec("tickets-service", "tickets", 1, Map.of()));
        services.add(new ServiceSpec("orders-service", "orders", settings.ordersReplicas(), orders));
        return services;
    }

    Path module(Path repositoryRoot) {
        return repositoryRoot.resolve(name);
    }

    /** Built by the spring-boot-maven-plugin's repackage in {@code package}. */
    Path jar(Path repositoryRoot) {
        return module(repositoryRoot).resolve("target").resolve(name + "-" + projectVersion() + ".jar");
    }

    static String projectVersion() {
        try (InputStream in = ServiceSpec.class.getResourceAsStream("build.properties")) {
            if (in == null) {
                throw new IllegalStateException("build.properties is missing from the launcher");
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
