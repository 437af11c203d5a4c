package dev.ticketing.tickets;

import dev.ticketing.testsupport.TestServers;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.web.servlet.client.RestTestClient;

/**
 * One tickets-service process of a test's own, as a deployment would run it: its own Spring context on a random
 * port, pointed at the NATS server and MongoDB the test names, so the test may take those away from it alone.
 */
final class TicketsInstance implements AutoCloseable {

    private final ConfigurableApplicationContext context;

    private TicketsInstance(ConfigurableApplicationContext context) {
        this.context = context;
    }

    static TicketsInstance start(String natsUrl, String database) {
        return startWithMongo(natsUrl, TestServers.mongoUri(database));
    }

    /** An instance whose MongoDB connection string the test gives in full (a proxy's, say). */
    static TicketsInstance startWithMongo(String natsUrl, String mongoUri) {
        return new TicketsInstance(new SpringApplicationBuilder(TicketsApplication.class)
                .profiles("test")
                .properties("spring.main.banner-mode=off")
                .run("--server.port=0", "--ticketing.nats.url=" + natsUrl, "--spring.mongodb.uri=" + mongoUri));
    }

    <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    RestTestClient http() {
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        return RestTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port).build();
    }

    @Override
    public void close() {
        context.close();
    }
}
