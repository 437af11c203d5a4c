package dev.ticketing.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.ticketing.localstack.Edge.Target;
import dev.ticketing.localstack.IngressRoutes.PathType;
import dev.ticketing.localstack.IngressRoutes.Route;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The edge in front of stub services: server-sent events pass through as they are written, and the client's `/`
 * sits beside the APIs in the repository's own Ingress.
 */
class EdgeStreamingTests {

    /** Long enough for a loaded machine; reached only when the edge holds the event back, which fails the test. */
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @TempDir
    Path logs;

    private final List<HttpServer> stubs = new ArrayList<>();

    @AfterEach
    void stopStubs() {
        stubs.forEach(stub -> stub.stop(0));
    }

    @Test
    void passesEachServerSentEventOnAsSoonAsTheServiceWritesIt() throws Exception {
        CountDownLatch secondEventReleased = new CountDownLatch(1);
        HttpServer client = stub(exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
            exchange.getResponseHeaders().set("X-Accel-Buffering", "no");
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream body = exchange.getResponseBody()) {
                body.write("event: ticket\ndata: <tr id=\"ticket-1\"></tr>\n\n".getBytes(StandardCharsets.UTF_8));
                body.flush();
                if (!secondEventReleased.await(PATIENCE.toSeconds(), TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the test never released the second event");
                }
                body.write("event: ticket\ndata: <tr id=\"ticket-2\"></tr>\n\n".getBytes(StandardCharsets.UTF_8));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        IngressRoutes routes = new IngressRoutes(List.of(new Route("/live", PathType.PREFIX, "client",
                Path.of("ingress.yaml"))));

        try (Edge edge = Edge.start(0, routes, service -> new Target.Replica(client.getAddress().getPort(), service),
                logs.resolve("edge.log")); HttpClient browser = HttpClient.newHttpClient()) {
            HttpResponse<Stream<String>> response = browser.sendAsync(HttpRequest.newBuilder(
                    edge.uri().resolve("/live/tickets")).header("Accept", "text/event-stream").build(),
                    HttpResponse.BodyHandlers.ofLines()).get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("text/event-stream");
            assertThat(response.headers().firstValue("X-Accel-Buffering")).hasValue("no");
            Iterator<String> lines = response.body().iterator();

            // The service is still holding the second event back: the first can only have come through unbuffered.
            assertThat(CompletableFuture.supplyAsync(() -> List.of(lines.next(), lines.next())))
                    .succeedsWithin(PATIENCE)
                    .isEqualTo(List.of("event: ticket", "data: <tr id=\"ticket-1\"></tr>"));
            assertThat(secondEventReleased.getCount()).isOne();

            secondEventReleased.countDown();
            List<String> rest = new ArrayList<>();
            lines.forEachRemaining(rest::add);
            assertThat(rest).containsExactly("", "event: ticket", "data: <tr id=\"ticket-2\"></tr>", "");
        }
    }

    @Test
    void sendsThePagesToTheClientAndTheApiPathsToTheApisByTheRepositorysIngress() throws Exception {
        Path manifests = StackSettings.repositoryRootAbove(Path.of("")).resolve("infra").resolve("k8s");
        IngressRoutes routes = IngressRoutes.read(manifests);
        Map<String, Integer> ports = new HashMap<>();
        for (String service : List.of("client", "auth-service", "tickets-service", "orders-service",
                "payments-service")) {
            byte[] name = service.getBytes(StandardCharsets.UTF_8);
            ports.put(service, stub(exchange -> {
                exchange.sendResponseHeaders(200, name.length);
                try (OutputStream body = exchange.getResponseBody()) {
                    body.write(name);
                }
            }).getAddress().getPort());
        }

        try (Edge edge = Edge.start(0, routes, service -> new Target.Replica(ports.get(service), service),
                logs.resolve("edge.log")); HttpClient browser = HttpClient.newHttpClient()) {
            Map<String, String> answeredBy = new TreeMap<>();
            for (String path : List.of("/", "/tickets/abc", "/orders", "/auth/signin", "/live/tickets",
                    "/api/users/currentuser", "/api/tickets/abc", "/api/orders", "/api/payments")) {
                HttpResponse<String> response = browser.send(HttpRequest.newBuilder(edge.uri().resolve(path)).build(),
                        HttpResponse.BodyHandlers.ofString());
                answeredBy.put(path, response.statusCode() + " " + response.body());
            }
            assertThat(answeredBy).containsExactlyInAnyOrderEntriesOf(Map.of(
                    "/", "200 client",
                    "/tickets/abc", "200 client",
                    "/orders", "200 client",
                    "/auth/signin", "200 client",
                    "/live/tickets", "200 client",
                    "/api/users/currentuser", "200 auth-service",
                    "/api/tickets/abc", "200 tickets-service",
                    "/api/orders", "200 orders-service",
                    "/api/payments", "200 payments-service"));
        }
    }

    private HttpServer stub(HttpHandler answer) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/", exchange -> {
                try (exchange) {
                    answer.handle(exchange);
                }
            });
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.start();
            stubs.add(server);
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
