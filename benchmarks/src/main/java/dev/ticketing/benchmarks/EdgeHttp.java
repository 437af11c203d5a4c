package dev.ticketing.benchmarks;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** JSON to a stack's edge as a browser sends it, as a user it signs up; one HTTP/1.1 client for every thread. */
final class EdgeHttp {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final URI edge;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private String cookie = "";

    /** One answer; {@code receivedNanos} is {@link System#nanoTime()} when all of it had arrived. */
    record Answer(int status, String body, long receivedNanos) {

        JsonNode json() {
            return JSON.readTree(body);
        }

        String id() {
            return json().path("id").asString();
        }
    }

    /** Signs a new user up at this stack's edge; its session cookie goes with every later request. */
    EdgeHttp(BenchStack stack) throws IOException, InterruptedException {
        this.edge = stack.stack().edgeUri();
        String email = "bench-" + System.nanoTime() + "@example.com";
        HttpResponse<String> response = http.send(request("/api/users/signup",
                "{\"email\":\"" + email + "\",\"password\":\"benchmark-password\"}").build(),
                HttpResponse.BodyHandlers.ofString());
        cookie = response.headers().allValues("Set-Cookie").stream().filter(header -> header.startsWith("session="))
                .map(header -> header.split(";", 2)[0]).findFirst().orElseThrow(() -> new IllegalStateException(
                        "Sign-up answered " + response.statusCode() + " without a session: " + response.body()));
    }

    Answer createTicket(String title, String price) throws IOException, InterruptedException {
        Answer answer = send(createTicketRequest(title, price));
        if (answer.status() != 201) {
            throw new IllegalStateException("POST /api/tickets answered " + answer.status() + ": " + answer.body());
        }
        return answer;
    }

    Answer editTicket(String id, String title, String price) throws IOException, InterruptedException {
        return send(request("/api/tickets/" + id, "").PUT(HttpRequest.BodyPublishers.ofString(ticket(title, price)))
                .build());
    }

    /** A prepared request, for loops that send the same one again and again. */
    HttpRequest createTicketRequest(String title, String price) {
        return request("/api/tickets", ticket(title, price)).build();
    }

    int status(HttpRequest request) throws IOException, InterruptedException {
        return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private Answer send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.body(), System.nanoTime());
    }

    /** A POST of this JSON, with the session cookie once signed up. */
    private HttpRequest.Builder request(String path, String json) {
        HttpRequest.Builder request = HttpRequest.newBuilder(edge.resolve(path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        return cookie.isEmpty() ? request : request.header("Cookie", cookie);
    }

    /** The price as a JSON number, written as given (e.g. "12.5"). */
    private static String ticket(String title, String price) {
        return "{\"title\":" + JSON.writeValueAsString(title) + ",\"price\":" + price + "}";
    }
}
