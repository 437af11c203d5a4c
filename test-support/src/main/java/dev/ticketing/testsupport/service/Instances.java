package dev.ticketing.testsupport.service;

import dev.ticketing.testsupport.NatsServer;
import dev.ticketing.testsupport.TcpProxy;
import dev.ticketing.testsupport.TestServers;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.springframework.boot.builder.SpringApplicationBuilder;

/**
 * Starts more instances of a service, as a deployment runs them: each its own Spring context with the test profile
 * on a random port, pointed at the servers the test names (so the test may take those away from it alone). Several
 * with the same NATS and database are replicas of one service. Each is closed when the method or class that asked
 * for these instances ends, if the test did not close it before.
 */
public final class Instances {

    private final Class<?> application;
    private final Consumer<AutoCloseable> closeAtEnd;

    Instances(Class<?> application, Consumer<AutoCloseable> closeAtEnd) {
        this.application = application;
        this.closeAtEnd = closeAtEnd;
    }

    /** An instance on {@code nats} and {@code database} of the shared MongoDB, with more properties (name=value). */
    public ServiceInstance start(NatsServer nats, String database, String... properties) {
        List<String> all = new ArrayList<>(List.of("ticketing.nats.url=" + nats.url(),
                "spring.mongodb.uri=" + TestServers.mongoUri(database)));
        all.addAll(List.of(properties));
        return start(all.toArray(String[]::new));
    }

    /**
     * An instance on {@code nats} whose MongoDB connections go through {@code proxy} (see {@link #mongoProxy()}), with
     * short driver timeouts: a call through a cut proxy fails in half a second instead of thirty.
     */
    public ServiceInstance startThrough(TcpProxy proxy, NatsServer nats, String database) {
        return start("ticketing.nats.url=" + nats.url(), "spring.mongodb.uri=mongodb://127.0.0.1:" + proxy.port() + "/"
                + database + "?directConnection=true&serverSelectionTimeoutMS=500&connectTimeoutMS=500&socketTimeoutMS=2000");
    }

    /** A proxy in front of the shared MongoDB server: {@code cut()} drops its connections, the data stays. */
    public static TcpProxy mongoProxy() {
        URI server = URI.create(TestServers.mongoUri("any"));
        return TcpProxy.to(server.getHost(), server.getPort());
    }

    /** An instance with these properties (name=value) only, e.g. a MongoDB connection string through a proxy. */
    public ServiceInstance start(String... properties) {
        return start(application, properties);
    }

    /** An instance of another application, e.g. a stand-in for a service this module does not hold. */
    public ServiceInstance start(Class<?> application, String... properties) {
        List<String> args = new ArrayList<>(List.of("--server.port=0"));
        for (String property : properties) {
            args.add("--" + property);
        }
        ServiceInstance instance = new ServiceInstance(new SpringApplicationBuilder(application)
                .profiles("test")
                .properties("spring.main.banner-mode=off")
                .run(args.toArray(String[]::new)), true);
        closeAtEnd.accept(instance);
        return instance;
    }
}
