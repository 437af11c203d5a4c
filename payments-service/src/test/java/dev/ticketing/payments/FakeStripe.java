package dev.ticketing.payments;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * A local stand-in for Stripe's API on 127.0.0.1: records every request that reaches it and answers as the test says,
 * with Stripe's status codes, headers and JSON bodies, or by dropping the connection, or never.
 */
final class FakeStripe implements AutoCloseable {

    /** One request as it arrived: header names in lower case, the form-encoded body decoded. */
    record Request(String method, String path, Map<String, String> headers, Map<String, String> form) {

        String idempotencyKey() {
            return headers.getOrDefault("idempotency-key", "");
        }
    }

    /** How to answer a request. */
    sealed interface Answer {

        /** {@code status} with the JSON {@code body}, as Stripe answers. */
        record Json(int status, String body, Map<String, String> headers) implements Answer {}

        /** Closes the connection without a word, as a network failure does. */
        record Drop() implements Answer {}

        /** Never answers: the client's read timeout has to end it. */
        record Silence() implements Answer {}
    }

    static Answer json(int status, String body) {
        return new Answer.Json(status, body, Map.of());
    }

    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    private final ExecutorService handlers = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpServer server;
    private volatile Function<Request, Answer> answering = request -> json(404, "{}");

    FakeStripe() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        // One thread per request, so that a silent answer holds up only its own request.
        server.setExecutor(handlers);
        server.start();
    }

    String apiBase() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    void answer(Function<Request, Answer> answering) {
        this.answering = answering;
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    private void handle(HttpExchange exchange) throws IOException {
        var request = new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                headersOf(exchange), formOf(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
        requests.add(request);
        switch (answering.apply(request)) {
            case Answer.Json(int status, String body, Map<String, String> headers) -> {
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.getResponseHeaders().set("Request-Id", "req_" + requests.size());
                headers.forEach(exchange.getResponseHeaders()::set);
                byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(status, bytes.length);
                exchange.getResponseBody().write(bytes);
                exchange.close();
            }
            // Closing before the response headers closes the connection itself.
            case Answer.Drop() -> exchange.close();
            case Answer.Silence() -> {
                try {
                    closed.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                exchange.close();
            }
        }
    }

    private static Map<String, String> headersOf(HttpExchange exchange) {
        var headers = new LinkedHashMap<String, String>();
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(), values.getFirst()));
        return headers;
    }

    private static Map<String, String> formOf(String body) {
        var form = new LinkedHashMap<String, String>();
        for (String pair : body.split("&")) {
            if (!pair.isEmpty()) {
                String[] nameAndValue = pair.split("=", 2);
                form.put(URLDecoder.decode(nameAndValue[0], StandardCharsets.UTF_8),
                        nameAndValue.length > 1 ? URLDecoder.decode(nameAndValue[1], StandardCharsets.UTF_8) : "");
            }
        }
        return form;
    }

    @Override
    public void close() {
        closed.countDown();
        server.stop(0);
        handlers.close();
    }
}
