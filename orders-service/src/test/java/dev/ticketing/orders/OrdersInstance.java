package dev.ticketing.orders;

import com.mongodb.ConnectionString;
import com.mongodb.ServerAddress;
import dev.ticketing.testsupport.TcpProxy;
import dev.ticketing.testsupport.TestServers;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.web.servlet.client.RestTestClient;

/**
 * One orders-service process of a test's own, as a deployment would run it: its own Spring context on a random
 * port, pointed at the NATS server and MongoDB database the test names. Several instances with the same
 * database and NATS are replicas of one service.
 */
final class OrdersInstance implements AutoCloseable {

    private final ConfigurableApplicationContext context;

    private OrdersInstance(ConfigurableApplicationContext context) {
        this.context = context;
    }

    static OrdersInstance start(String natsUrl, String database, String... properties) {
        return startWithMongo(natsUrl, TestServers.mongoUri(database), properties);
    }

    /**
     * The address of the MongoDB server behind {@code database}, for a {@link TcpProxy} to stand in front of.
     */
    static ServerAddress mongoServer(String database) {
        return new ServerAddress(new ConnectionString(TestServers.mongoUri(database)).getHosts().getFirst());
    }

    /**
     * A connection string for {@code database} through {@code proxy}, with short driver timeouts: a failed call takes
     * half a second instead of the default thirty.
     */
    static String mongoUriThrough(TcpProxy proxy, String database) {
        return "mongodb://127.0.0.1:" + proxy.port() + "/" + database
                + "?directConnection=true&serverSelectionTimeoutMS=500&connectTimeoutMS=500&socketTimeoutMS=2000";
    }

    /** An instance whose MongoDB connection string the test gives in full (a proxy's, say). */
    static OrdersInstance startWithMongo(String natsUrl, String mongoUri, String... properties) {
        List<String> args = new ArrayList<>(List.of("--server.port=0", "--ticketing.nats.url=" + natsUrl,
                "--spring.mongodb.uri=" + mongoUri));
        for (String property : properties) {
            args.add("--" + property);
        }
        return new OrdersInstance(new SpringApplicationBuilder(OrdersApplication.class)
                .profiles("test")
                .properties("spring.main.banner-mode=off")
                .run(args.toArray(String[]::new)));
    }

    <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    RestTestClient http() {
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        return RestTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port).build();
    }

    /** Stops every lifecycle bean, as Spring's test context cache pauses an idle context. */
    void pause() {
        context.stop();
    }

    /** Starts them again, as the context cache does when the context is used again. */
    void resume() {
        context.start();
    }

    @Override
    public void close() {
        context.close();
    }
}
