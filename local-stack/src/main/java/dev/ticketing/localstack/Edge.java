package dev.ticketing.localstack;

import java.net.BindException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.proxy.ProxyHandler;
import org.eclipse.jetty.server.CustomRequestLog;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.RequestLogWriter;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The local stand-in for the Kubernetes ingress: {@code http://localhost:PORT}, routing by the Ingress's own paths
 * to a ready replica of the named service, round-robin. The proxying is Jetty's {@link ProxyHandler.Reverse}
 * (headers, cookies, bodies, hop-by-hop rules); this class only chooses where. What the edge answers itself (an
 * unrouted path, no ready replica, a replica gone mid-request) is the contract's problem document.
 *
 * <p>Responses are passed on as they arrive, chunk by chunk, never gathered first: the client's server-sent events
 * ({@code text/event-stream} under {@code /live}) reach the browser the moment they are written. Nothing limits how
 * long a response may last; only a connection silent for {@link #IDLE_TIMEOUT} is closed, which a live stream never
 * is (its heartbeat comes every 15 s).
 */
record Edge(Server server, URI uri) implements AutoCloseable {

    static final String PROBLEM_JSON = "application/problem+json";
    private static final String TARGET = Edge.class.getName() + ".target";
    private static final String REPLICA = Edge.class.getName() + ".replica";
    /** One line per request in {@code logs/edge.log}: time, request line, status, duration, who answered. */
    private static final String LOG_FORMAT = "%{yyyy-MM-dd'T'HH:mm:ss.SSSX|UTC}t %r %s %{ms}Tms %{" + REPLICA + "}attr";
    /**
     * How long a connection, browser-side or service-side, may carry nothing before it is closed: four of the
     * event stream's 15 s heartbeats, so a live stream stays open, and a dead peer is still noticed.
     */
    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(60);

    static Edge start(int port, IngressRoutes routes, Map<String, LocalStack.Service> services, Path logFile) {
        return start(port, routes, new RoundRobin(services), logFile);
    }

    /** The edge with {@code targets} choosing where each service's requests go (tests give it stub servers). */
    static Edge start(int port, IngressRoutes routes, Function<String, Target> targets, Path logFile) {
        Server server = new Server();
        HttpConfiguration http = new HttpConfiguration();
        // The edge speaks for the services; it names no server software.
        http.setSendServerVersion(false);
        ServerConnector ipv4 = new ServerConnector(server, new HttpConnectionFactory(http));
        ipv4.setHost("127.0.0.1");
        ipv4.setPort(port);
        ipv4.setIdleTimeout(IDLE_TIMEOUT.toMillis());
        server.addConnector(ipv4);
        server.setHandler(new Router(routes, targets));
        server.setErrorHandler(new ProblemErrorHandler());
        server.setRequestLog(new CustomRequestLog(new RequestLogWriter(logFile.toString()), LOG_FORMAT));
        server.setStopTimeout(2_000);
        try {
            server.start();
        } catch (Exception e) {
            stopQuietly(server);
            if (e instanceof BindException || e.getCause() instanceof BindException) {
                throw new IllegalStateException("Port " + port + " on 127.0.0.1 is in use. Stop whatever uses it, or "
                        + "choose another port: PORT=8081 ./run-local.sh", e);
            }
            throw new IllegalStateException("The edge could not start on port " + port + ": " + e.getMessage(), e);
        }
        // Browsers may resolve localhost to ::1 first: answer there too when the machine has IPv6.
        ServerConnector ipv6 = new ServerConnector(server, new HttpConnectionFactory(http));
        ipv6.setHost("::1");
        ipv6.setPort(ipv4.getLocalPort());
        ipv6.setIdleTimeout(IDLE_TIMEOUT.toMillis());
        server.addConnector(ipv6);
        try {
            ipv6.start();
        } catch (Exception e) {
            server.removeConnector(ipv6);
        }
        return new Edge(server, URI.create("http://localhost:" + ipv4.getLocalPort()));
    }

    @Override
    public void close() {
        stopQuietly(server);
    }

    private static void stopQuietly(Server server) {
        try {
            server.stop();
        } catch (Exception e) {
            // stopping anyway
        }
    }

    /** The contract's error body: RFC 9457 plus the course's {@code errors} array. */
    static String problem(int status, String message, String instance) {
        return "{\"type\":\"about:blank\",\"title\":" + quote(HttpStatus.getMessage(status)) + ",\"status\":" + status
                + ",\"detail\":" + quote(message) + ",\"instance\":" + quote(instance)
                + ",\"errors\":[{\"message\":" + quote(message) + "}]}";
    }

    private static boolean writeProblem(Request request, Response response, Callback callback, int status,
            String message) {
        String instance = Objects.requireNonNullElse(request.getHttpURI().getPath(), "/");
        byte[] body = problem(status, message, instance).getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, PROBLEM_JSON);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
        return true;
    }

    static String quote(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> out.append(c < 0x20 ? String.format("\\u%04x", (int) c) : String.valueOf(c));
            }
        }
        return out.append('"').toString();
    }

    /** Where the edge sends a request for a service: a replica on a loopback port, or nowhere, with the reason. */
    sealed interface Target {

        /** {@code name} is what the request log shows as the one that answered. */
        record Replica(int port, String name) implements Target {
        }

        /** Answered by the edge itself with 503 and {@code reason}. */
        record Unavailable(String reason) implements Target {
        }
    }

    /** The local stack's replicas: the first ready one from the one whose turn it is. */
    private record RoundRobin(Map<String, LocalStack.Service> services, Map<String, AtomicInteger> turns)
            implements Function<String, Target> {

        RoundRobin(Map<String, LocalStack.Service> services) {
            this(services, new ConcurrentHashMap<>());
        }

        @Override
        public Target apply(String service) {
            LocalStack.Service running = services.get(service);
            if (running == null) {
                return new Target.Unavailable(service + " is not run by this local stack");
            }
            return nextReady(running.replicas(),
                    turns.computeIfAbsent(running.name(), name -> new AtomicInteger()).getAndIncrement())
                    .<Target>map(replica -> new Target.Replica(replica.port(), replica.component()))
                    .orElseGet(() -> new Target.Unavailable(service + " has no ready replica right now"));
        }
    }

    /** Chooses the replica and leaves the proxying to Jetty, or answers itself when there is none. */
    private static final class Router extends ProxyHandler.Reverse {

        private final IngressRoutes routes;
        private final Function<String, Target> targets;

        Router(IngressRoutes routes, Function<String, Target> targets) {
            super(request -> HttpURI.build(request.getHttpURI()).scheme("http").host("127.0.0.1")
                    .port((Integer) request.getAttribute(TARGET)));
            setViaHost("edge");
            this.routes = routes;
            this.targets = targets;
        }

        @Override
        protected void configureHttpClient(HttpClient client) {
            super.configureHttpClient(client);
            client.setConnectTimeout(2_000);
            client.setIdleTimeout(IDLE_TIMEOUT.toMillis());
            client.setMaxConnectionsPerDestination(256);
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            request.setAttribute(REPLICA, "edge");
            String path = Objects.requireNonNullElse(request.getHttpURI().getDecodedPath(), "/");
            Optional<String> service = routes.match(path).map(IngressRoutes.Route::service);
            if (service.isEmpty()) {
                return writeProblem(request, response, callback, HttpStatus.NOT_FOUND_404, "Not Found");
            }
            return switch (targets.apply(service.get())) {
                case Target.Unavailable unavailable -> writeProblem(request, response, callback,
                        HttpStatus.SERVICE_UNAVAILABLE_503, unavailable.reason());
                case Target.Replica replica -> {
                    request.setAttribute(TARGET, replica.port());
                    request.setAttribute(REPLICA, replica.name());
                    yield super.handle(request, response, callback);
                }
            };
        }
    }

    /** Round robin: the first ready replica from the one whose {@code turn} it is, skipping dead and starting ones. */
    static Optional<ServiceReplica> nextReady(List<ServiceReplica> replicas, int turn) {
        for (int i = 0; i < replicas.size(); i++) {
            ServiceReplica candidate = replicas.get(Math.floorMod(turn + i, replicas.size()));
            if (candidate.isReady()) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** Errors the edge itself raises (a replica gone mid-request, a malformed request) in the contract's shape. */
    private static final class ProblemErrorHandler extends ErrorHandler {

        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            int status = request.getAttribute(ERROR_STATUS) instanceof Integer code ? code : response.getStatus();
            status = status < 400 ? HttpStatus.INTERNAL_SERVER_ERROR_500 : status;
            return writeProblem(request, response, callback, status, message(status));
        }

        @Override
        public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
            fields.put(HttpHeader.CONTENT_TYPE, PROBLEM_JSON);
            return ByteBuffer.wrap(problem(status, message(status), "").getBytes(StandardCharsets.UTF_8));
        }

        /** Never Jetty's own text, which may name internals. */
        private static String message(int status) {
            return switch (status) {
                case HttpStatus.BAD_GATEWAY_502 -> "The service did not answer";
                case HttpStatus.GATEWAY_TIMEOUT_504 -> "The service did not answer in time";
                case HttpStatus.NOT_FOUND_404 -> "Not Found";
                default -> HttpStatus.getMessage(status);
            };
        }
    }
}
