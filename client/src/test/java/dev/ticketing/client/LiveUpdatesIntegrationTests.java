package dev.ticketing.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ticketing.events.OrderCancelled;
import dev.ticketing.events.TicketCreated;
import dev.ticketing.events.TicketUpdated;
import dev.ticketing.events.TicketingEvent;
import dev.ticketing.events.bus.NatsEventBus;
import dev.ticketing.testsupport.TestServersConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Events published on the real test NATS reach the pages' SSE streams as HTML fragments. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(TestServersConfiguration.class)
class LiveUpdatesIntegrationTests {

    static final ApiStub api = new ApiStub();
    static final Duration EVENTS = Duration.ofSeconds(10);

    @DynamicPropertySource
    static void apiUrl(DynamicPropertyRegistry registry) {
        registry.add("ticketing.client.api-url", api::url);
    }

    @LocalServerPort
    int port;
    @Autowired
    NatsEventBus bus;
    @Autowired
    MeterRegistry meters;

    private final HttpClient http = HttpClient.newHttpClient();
    private final List<Stream<String>> open = new CopyOnWriteArrayList<>();

    @AfterEach
    void closeStreams() {
        open.forEach(Stream::close);
        api.reset();
    }

    @AfterAll
    static void stopApi() {
        api.close();
    }

    @Test
    void theLandingPageGetsANewTicketsRowAndLosesItWhenItIsReserved() {
        String id = UUID.randomUUID().toString();
        Received landing = connect("/live/tickets");
        assertThat(landing.response().headers().firstValue("X-Accel-Buffering")).hasValue("no");
        assertThat(landing.response().headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/event-stream"));
        awaitOpenStreams(1);

        publish(new TicketCreated(id, 0, "Concert", new BigDecimal("20"), "u1"));
        await().atMost(EVENTS).until(() -> landing.has("beforeend:#tickets tbody") && landing.has("ticket-" + id)
                && landing.has("$20.00"));

        publish(new TicketUpdated(id, 1, "Concert", new BigDecimal("20"), "u1", "o1"));
        await().atMost(EVENTS).until(() -> landing.lines().stream().filter(line -> line.contains("ticket-" + id)).count() == 2);
        assertThat(landing.lines().getLast()).contains("hx-swap-oob=\"delete\"").doesNotContain("beforeend");
    }

    @Test
    void aTicketsPageIgnoresAnEventOlderThanWhatItShows() {
        String id = UUID.randomUUID().toString();
        api.answer("GET /api/tickets/" + id, 200,
                "{\"id\":\"" + id + "\",\"title\":\"Concert\",\"price\":20,\"userId\":\"u1\",\"version\":3}");
        Received page = connect("/live/tickets/" + id + "?version=3");
        awaitOpenStreams(1);

        publish(new TicketUpdated(id, 2, "Stale title", new BigDecimal("5"), "u1", null));
        publish(new TicketUpdated(id, 4, "New title", new BigDecimal("30.5"), "u1", "o1"));
        await().atMost(EVENTS).until(() -> page.has("New title"));
        assertThat(page.has("Stale title")).isFalse();
        assertThat(page.has("$30.50")).isTrue();
        assertThat(page.has("Reserved")).isTrue();
    }

    @Test
    void anOrdersStreamIsForItsOwnerAndShowsTheExpiry() throws Exception {
        String id = UUID.randomUUID().toString();
        api.answer("GET /api/orders/" + id, 401, "{\"errors\":[{\"message\":\"Not authorized\"}]}");
        HttpResponse<Void> stranger = http.send(HttpRequest.newBuilder(uri("/live/orders/" + id)).build(),
                HttpResponse.BodyHandlers.discarding());
        assertThat(stranger.statusCode()).isEqualTo(401);

        api.answer("GET /api/orders/" + id, 200, "{\"id\":\"" + id + "\",\"userId\":\"u1\",\"status\":\"created\","
                + "\"expiresAt\":\"2000-01-01T00:00:00Z\",\"version\":0,\"ticket\":{\"id\":\"t1\",\"title\":\"Concert\",\"price\":20}}");
        Received owner = connect("/live/orders/" + id + "?version=0");
        awaitOpenStreams(1);
        publish(new OrderCancelled(id, 1, new OrderCancelled.Ticket("t1")));
        await().atMost(EVENTS).until(() -> owner.has("Expired") && owner.has("id=\"payment\" hx-swap-oob=\"delete\""));
    }

    private void awaitOpenStreams(int count) {
        await().atMost(EVENTS).until(() -> meters.get("ticketing.client.live.streams").gauge().value() >= count);
    }

    /** The bus connects in the background: publish once it can. */
    private void publish(TicketingEvent event) {
        await().atMost(EVENTS).ignoreExceptions().until(() -> bus.publish(event) != null);
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    private Received connect(String path) {
        try {
            HttpResponse<Stream<String>> response = http.send(HttpRequest.newBuilder(uri(path))
                    .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofLines());
            assertThat(response.statusCode()).isEqualTo(200);
            open.add(response.body());
            Received received = new Received(response, new CopyOnWriteArrayList<>());
            Thread.ofVirtual().start(() -> {
                try {
                    response.body().filter(line -> line.startsWith("data:")).forEach(received.lines()::add);
                } catch (UncheckedIOException closed) {
                    // the test closed the stream
                }
            });
            return received;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private record Received(HttpResponse<Stream<String>> response, List<String> lines) {

        boolean has(String text) {
            return lines.stream().anyMatch(line -> line.contains(text));
        }
    }
}
