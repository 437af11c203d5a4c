package dev.ticketing.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ticketing.events.TicketCreated;
import dev.ticketing.events.bus.NatsEventBus;
import dev.ticketing.testsupport.NatsServer;
import dev.ticketing.testsupport.TestServers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * NATS killed under a running client: the pages come from the APIs, so the client stays ready and serves them; the
 * open live stream stays open, and the events published once NATS is back reach it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class NatsOutageIntegrationTests {

    static final NatsServer nats = TestServers.dedicatedNats();
    static final ApiStub api = new ApiStub().answer("GET /api/tickets", 200, "[]");
    static final Duration WAIT = Duration.ofSeconds(30);

    @DynamicPropertySource
    static void servers(DynamicPropertyRegistry registry) {
        registry.add("ticketing.nats.url", nats::url);
        registry.add("ticketing.client.api-url", api::url);
    }

    @LocalServerPort
    int port;
    @Autowired
    NatsEventBus bus;

    private final HttpClient http = HttpClient.newHttpClient();

    @AfterAll
    static void stopServers() {
        api.close();
        nats.close();
    }

    @Test
    void staysReadyAndServesPagesWhileNatsIsDownThenResumesLiveUpdates() throws Exception {
        await().atMost(WAIT).until(() -> bus.status().ready());
        List<String> landing = connect("/live/tickets");

        nats.stop();
        await().atMost(WAIT).until(() -> !bus.status().ready());
        assertThat(get("/actuator/health/readiness").statusCode()).isEqualTo(200);
        assertThat(get("/actuator/health").statusCode()).as("the nats component is DOWN").isEqualTo(503);
        HttpResponse<String> page = get("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<h1>Tickets</h1>");

        nats.start();
        await().atMost(WAIT).until(() -> bus.status().ready());
        String id = UUID.randomUUID().toString();
        // The core subscription is made again on reconnect: publish until the open stream hears one.
        await().atMost(WAIT).until(() -> {
            bus.publish(new TicketCreated(id, 0, "Back again", new BigDecimal("12"), "u1"));
            return landing.stream().anyMatch(line -> line.contains("ticket-" + id));
        });
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    /** The data lines the stream receives, collected in the background. */
    private List<String> connect(String path) throws IOException, InterruptedException {
        HttpResponse<Stream<String>> response = http.send(HttpRequest.newBuilder(uri(path))
                .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofLines());
        assertThat(response.statusCode()).isEqualTo(200);
        List<String> lines = new CopyOnWriteArrayList<>();
        Thread.ofVirtual().start(() -> {
            try {
                response.body().filter(line -> line.startsWith("data:")).forEach(lines::add);
            } catch (UncheckedIOException closed) {
                // the client stopped
            }
        });
        return lines;
    }
}
