package dev.ticketing.client;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The four services' APIs as canned answers, on a JDK HTTP server: the client's pages are tested against it, the
 * real APIs in system-tests. Unknown routes answer the course's 404; every request is recorded.
 */
final class ApiStub implements AutoCloseable {

    record Answer(int status, String json, Map<String, String> headers) {
    }

    record Request(String method, String path, String body, String cookie) {
    }

    private final HttpServer server;
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    final List<Request> requests = new CopyOnWriteArrayList<>();

    ApiStub() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            String key = exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath();
            String cookie = exchange.getRequestHeaders().getFirst("Cookie");
            requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8), cookie == null ? "" : cookie));
            Answer answer = answers.getOrDefault(key,
                    new Answer(404, "{\"errors\":[{\"message\":\"Not Found\"}]}", Map.of()));
            byte[] body = answer.json().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", answer.status() >= 400 ? "application/problem+json" : "application/json");
            answer.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
            exchange.sendResponseHeaders(answer.status(), body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        signedOut();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    ApiStub answer(String methodAndPath, int status, String json) {
        return answer(methodAndPath, status, json, Map.of());
    }

    ApiStub answer(String methodAndPath, int status, String json, Map<String, String> headers) {
        answers.put(methodAndPath, new Answer(status, json, headers));
        return this;
    }

    void signedOut() {
        answer("GET /api/users/currentuser", 200, "{\"currentUser\":null}");
    }

    void signedIn(String id, String email) {
        answer("GET /api/users/currentuser", 200,
                "{\"currentUser\":{\"id\":\"" + id + "\",\"email\":\"" + email + "\",\"iat\":1}}");
    }

    void reset() {
        answers.clear();
        requests.clear();
        signedOut();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
