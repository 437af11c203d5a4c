package dev.ticketing.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** JSON to a stack's edge with the session cookie, as a browser sends it; one HTTP/1.1 client for every thread. */
final class EdgeHttp {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final URI edge;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private String cookie = "";

    EdgeHttp(URI edge) {
        this.edge = edge;
    }

    /** One answer; {@code receivedNanos} is {@link System#nanoTime()} when all of it had arrived. */
    record Answer(int status, String body, long receivedNanos) {

        JsonNode json() {
            return JSON.readTree(body);
        }

        String id() {
            return json().path("id").asString();
        }

        long version() {
            return json().path("version").asLong();
        }
    }

    /** Signs a new user up; its session cookie goes with every later request. */
    EdgeHttp signUp() {
        String email = "bench-" + System.nanoTime() + "@example.com";
        HttpResponse<String> response = exchange(request("/api/users/signup",
                "{\"email\":\"" + email + "\",\"password\":\"benchmark-password\"}").build());
        if (response.statusCode() != 201) {
            throw new IllegalStateException("Sign-up answered " + response.statusCode() + ": " + response.body());
        }
        cookie = response.headers().allValues("Set-Cookie").stream().filter(header -> header.startsWith("session="))
                .map(header -> header.split(";", 2)[0]).findFirst()
                .orElseThrow(() -> new IllegalStateException("No session cookie in " + response.headers().map()));
        return this;
    }

    /** The same session at another stack's edge (every stack has the same JWT key). */
    EdgeHttp at(URI otherEdge) {
        EdgeHttp other = new EdgeHttp(otherEdge);
        other.cookie = cookie;
        return other;
    }

    Answer createTicket(String title, String price) {
        return send(createTicketRequest(title, price));
    }

    /** Creates a ticket and fails unless it was created. */
    Answer newTicket(String title, String price) {
        Answer answer = createTicket(title, price);
        if (answer.status() != 201) {
            throw new IllegalStateException("POST /api/tickets answered " + answer.status() + ": " + answer.body());
        }
        return answer;
    }

    Answer editTicket(String id, String title, String price) {
        return send(request("/api/tickets/" + id, ticket(title, price)).PUT(body(ticket(title, price))).build());
    }

    /** A prepared request, for loops that send the same one again and again. */
    HttpRequest createTicketRequest(String title, String price) {
        return request("/api/tickets", ticket(title, price)).build();
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

    /** A POST of this JSON; the session cookie once signed up. */
    private HttpRequest.Builder request(String path, String json) {
        HttpRequest.Builder request = HttpRequest.newBuilder(edge.resolve(path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(body(json));
        return cookie.isEmpty() ? request : request.header("Cookie", cookie);
    }

    private static HttpRequest.BodyPublisher body(String json) {
        return HttpRequest.BodyPublishers.ofString(json);
    }

    /** The price as a JSON number, written as given (e.g. "12.5"). */
    private static String ticket(String title, String price) {
        return "{\"title\":" + JSON.writeValueAsString(title) + ",\"price\":" + price + "}";
    }
}
