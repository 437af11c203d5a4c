package dev.ticketing.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The benchmark's HTTP client: JSON to the edge with the {@code session} cookie, as a browser would. One JDK
 * client (HTTP/1.1, keep-alive) per stack, shared by every sending thread.
 */
final class EdgeHttp {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final URI edge;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    EdgeHttp(URI edge) {
        this.edge = edge;
    }

    /**
     * One answer.
     *
     * @param receivedNanos {@link System#nanoTime()} when the whole answer had arrived
     */
    record Answer(int status, String body, long receivedNanos) {

        JsonNode json() {
            return JSON.readTree(body);
        }

        /** A ticket answer's id and version. */
        TicketVersion ticket() {
            JsonNode node = json();
            return new TicketVersion(node.path("id").asString(), node.path("version").asLong());
        }
    }

    record TicketVersion(String id, long version) {
    }

    /** Signs a new user up and returns the {@code session=...} cookie to send back. */
    String signUp(String email, String password) {
        HttpResponse<String> response = exchange(request("/api/users/signup", null)
                .POST(body(Map.of("email", email, "password", password))).build());
        if (response.statusCode() != 201) {
            throw new IllegalStateException("Sign-up answered " + response.statusCode() + ": " + response.body());
        }
        return response.headers().allValues("Set-Cookie").stream()
                .filter(header -> header.startsWith("session="))
                .map(header -> header.indexOf(';') < 0 ? header : header.substring(0, header.indexOf(';')))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("No session cookie in " + response.headers().map()));
    }

    Answer createTicket(String cookie, String title, String price) {
        return send(request("/api/tickets", cookie).POST(ticketBody(title, price)).build());
    }

    /** Creates a ticket and fails unless it was created. */
    Answer newTicket(String cookie, String title, String price) {
        Answer answer = createTicket(cookie, title, price);
        if (answer.status() != 201) {
            throw new IllegalStateException("POST /api/tickets answered " + answer.status() + ": " + answer.body());
        }
        return answer;
    }

    Answer editTicket(String cookie, String id, String title, String price) {
        return send(request("/api/tickets/" + id, cookie).PUT(ticketBody(title, price)).build());
    }

    /** A prepared request, for loops that send the same one again and again. */
    HttpRequest createTicketRequest(String cookie, String title, String price) {
        return request("/api/tickets", cookie).POST(ticketBody(title, price)).build();
    }

    /** Sends and returns the status only, reading and discarding the body. */
    int status(HttpRequest request) throws IOException, InterruptedException {
        return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private Answer send(HttpRequest request) {
        HttpResponse<String> response = exchange(request);
        return new Answer(response.statusCode(), response.body(), System.nanoTime());
    }

    private HttpResponse<String> exchange(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(request.method() + " " + request.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted during " + request.method() + " " + request.uri(), e);
        }
    }

    private HttpRequest.Builder request(String path, @Nullable String cookie) {
        HttpRequest.Builder request = HttpRequest.newBuilder(edge.resolve(path))
                .timeout(TIMEOUT)
                .header("Content-Type", "application/json");
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        return request;
    }

    private static HttpRequest.BodyPublisher ticketBody(String title, String price) {
        // price as a JSON number, written as given (e.g. "12.5").
        return HttpRequest.BodyPublishers.ofString("{\"title\":" + JSON.writeValueAsString(title) + ",\"price\":"
                + price + "}");
    }

    private static HttpRequest.BodyPublisher body(Object value) {
        return HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(value));
    }
}
