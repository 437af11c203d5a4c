package dev.ticketing.systemtests;

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
import tools.jackson.databind.node.MissingNode;

/**
 * A client of the system as a browser would be one: plain HTTP to the edge only, JSON bodies, and the
 * {@code session} cookie that auth-service sets. No service port, database or bus is ever touched.
 */
public final class EdgeClient {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final URI edge;
    private final HttpClient http;
    private final JsonMapper json = JsonMapper.builder().build();

    public EdgeClient(URI edge) {
        this.edge = edge;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    public URI edge() {
        return edge;
    }

    public User signUp(String email, String password) {
        return session(post("/api/users/signup", Map.of("email", email, "password", password), null), 201);
    }

    public User signIn(String email, String password) {
        return session(post("/api/users/signin", Map.of("email", email, "password", password), null), 200);
    }

    public Reply get(String path, @Nullable User user) {
        return send("GET", path, null, user);
    }

    public Reply post(String path, Object body, @Nullable User user) {
        return send("POST", path, body, user);
    }

    public Reply put(String path, Object body, @Nullable User user) {
        return send("PUT", path, body, user);
    }

    public Reply delete(String path, @Nullable User user) {
        return send("DELETE", path, null, user);
    }

    public Reply send(String method, String path, @Nullable Object body, @Nullable User user) {
        HttpRequest.Builder request = HttpRequest.newBuilder(edge.resolve(path)).timeout(TIMEOUT);
        if (body != null) {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        if (user != null) {
            request.header("Cookie", user.cookie());
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode parsed = response.body().isBlank() ? MissingNode.getInstance() : json.readTree(response.body());
            return new Reply(response.statusCode(), parsed, response.headers());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted during " + method + " " + path, e);
        }
    }

    private static User session(Reply reply, int expected) {
        if (reply.status() != expected) {
            throw new IllegalStateException("Expected " + expected + " but got " + reply.status() + ": " + reply.body());
        }
        String cookie = reply.headers().allValues("Set-Cookie").stream()
                .filter(header -> header.startsWith("session="))
                .map(header -> header.substring(0, header.indexOf(';') < 0 ? header.length() : header.indexOf(';')))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("No session cookie in " + reply.headers().map()));
        return new User(reply.id(), reply.body().path("email").asString(), cookie);
    }
}
