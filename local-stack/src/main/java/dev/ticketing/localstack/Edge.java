package dev.ticketing.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.BindException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.proxy.ProxyHandler;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.RequestLog;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.jspecify.annotations.Nullable;

/**
 * The local stand-in for the Kubernetes ingress: {@code http://localhost:PORT}, routing by the Ingress's own
 * paths to a ready replica of the named service, round-robin. The proxying itself is Jetty's
 * {@link ProxyHandler.Reverse} (headers, cookies, bodies, hop-by-hop rules); this class only chooses where.
 * Paths the Ingress does not route get the contract's 404 problem document.
 */
final class Edge implements AutoCloseable {

    static final String COMPONENT = "edge";
    private static final String TARGET = Edge.class.getName() + ".target";
    private static final String COMPONENT_ATTRIBUTE = Edge.class.getName() + ".component";

    private final Server server;
    private final int port;
    private final Writer requestLog;

    private Edge(Server server, int port, Writer requestLog) {
        this.server = server;
        this.port = port;
        this.requestLog = requestLog;
    }

    static Edge start(int port, IngressRoutes routes, Function<String, @Nullable ServiceGroup> services, Path logFile) {
        Writer log;
        try {
            log = Files.newBufferedWriter(logFile, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + logFile, e);
        }
        Server server = new Server();
        HttpConfiguration http = new HttpConfiguration();
        // The edge speaks for the services; it names no server software.
        http.setSendServerVersion(false);
        ServerConnector ipv4 = new ServerConnector(server, new HttpConnectionFactory(http));
        ipv4.setHost("127.0.0.1");
        ipv4.setPort(port);
        server.addConnector(ipv4);
        server.setHandler(new Router(routes, services, new Proxy()));
        server.setErrorHandler(new ProblemErrorHandler());
        server.setRequestLog(new FileRequestLog(log));
        server.setStopTimeout(2_000);
        try {
            server.start();
        } catch (Exception e) {
            stopQuietly(server);
            if (e instanceof BindException || e.getCause() instanceof BindException) {
                throw new LocalStackException("Port " + port + " on 127.0.0.1 is in use. Stop whatever uses it, or "
                        + "choose another port: PORT=8081 ./run-local.sh", e);
            }
            throw new LocalStackException("The edge could not start on port " + port + ": " + e.getMessage(), e);
        }
        int bound = ipv4.getLocalPort();
        addIpv6Loopback(server, http, bound);
        return new Edge(server, bound, log);
    }

    /** Browsers may resolve localhost to ::1 first; answer there too when the machine has IPv6. */
    private static void addIpv6Loopback(Server server, HttpConfiguration http, int port) {
        ServerConnector ipv6 = new ServerConnector(server, new HttpConnectionFactory(http));
        ipv6.setHost("::1");
        ipv6.setPort(port);
        server.addConnector(ipv6);
        try {
            ipv6.start();
        } catch (Exception e) {
            server.removeConnector(ipv6);
        }
    }

    int port() {
        return port;
    }

    URI uri() {
        return URI.create("http://localhost:" + port);
    }

    @Override
    public void close() {
        stopQuietly(server);
        try {
            requestLog.close();
        } catch (IOException e) {
            // the log is only for people
        }
    }

    private static void stopQuietly(Server server) {
        try {
            server.stop();
        } catch (Exception e) {
            // stopping anyway
        }
    }

    /** Chooses the route and the replica, or answers itself when there is none. */
    private static final class Router extends Handler.Wrapper {

        private final IngressRoutes routes;
        private final Function<String, @Nullable ServiceGroup> services;

        Router(IngressRoutes routes, Function<String, @Nullable ServiceGroup> services, Handler proxy) {
            super(proxy);
            this.routes = routes;
            this.services = services;
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            String path = request.getHttpURI().getDecodedPath();
            String instance = Objects.requireNonNullElse(request.getHttpURI().getPath(), "/");
            Optional<IngressRoutes.Route> route = routes.match(path == null ? "/" : path);
            if (route.isEmpty()) {
                Problems.write(response, callback, HttpStatus.NOT_FOUND_404, "Not Found", instance);
                return true;
            }
            String service = route.get().service();
            ServiceGroup group = services.apply(service);
            if (group == null) {
                Problems.write(response, callback, HttpStatus.SERVICE_UNAVAILABLE_503,
                        service + " is not run by this local stack", instance);
                return true;
            }
            Optional<ServiceReplica> replica = group.nextReady();
            if (replica.isEmpty()) {
                Problems.write(response, callback, HttpStatus.SERVICE_UNAVAILABLE_503,
                        service + " has no ready replica right now", instance);
                return true;
            }
            request.setAttribute(TARGET, replica.get().port());
            request.setAttribute(COMPONENT_ATTRIBUTE, replica.get().component());
            return super.handle(request, response, callback);
        }
    }

    /** Jetty's reverse proxy, pointed at the replica the router chose. */
    private static final class Proxy extends ProxyHandler.Reverse {

        Proxy() {
            super(request -> HttpURI.build(request.getHttpURI())
                    .scheme("http")
                    .host("127.0.0.1")
                    .port((Integer) request.getAttribute(TARGET)));
            setViaHost(COMPONENT);
        }

        @Override
        protected void configureHttpClient(HttpClient client) {
            super.configureHttpClient(client);
            client.setConnectTimeout(2_000);
            client.setIdleTimeout(60_000);
            client.setMaxConnectionsPerDestination(256);
        }
    }

    /** Errors the edge itself raises (a replica gone mid-request, a malformed request) in the contract's shape. */
    private static final class ProblemErrorHandler extends ErrorHandler {

        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            int status = request.getAttribute(ERROR_STATUS) instanceof Integer code ? code : response.getStatus();
            if (status < 400) {
                status = HttpStatus.INTERNAL_SERVER_ERROR_500;
            }
            Problems.write(response, callback, status, message(status),
                    Objects.requireNonNullElse(request.getHttpURI().getPath(), "/"));
            return true;
        }

        @Override
        public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
            fields.put(HttpHeader.CONTENT_TYPE, Problems.CONTENT_TYPE);
            return ByteBuffer.wrap(Problems.json(status, message(status), "").getBytes(StandardCharsets.UTF_8));
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

    /** One line per request in {@code logs/edge.log}: which replica answered what, and how fast. */
    // java.io.Writer spelled out: RequestLog declares a Writer type of its own.
    private record FileRequestLog(java.io.Writer writer) implements RequestLog {

        @Override
        public void log(Request request, Response response) {
            long micros = (System.nanoTime() - request.getBeginNanoTime()) / 1_000;
            Object component = request.getAttribute(COMPONENT_ATTRIBUTE);
            String line = Instant.now() + " " + request.getMethod() + " " + request.getHttpURI().getPathQuery() + " "
                    + response.getStatus() + " " + (micros / 1000.0) + "ms " + (component == null ? COMPONENT : component);
            synchronized (writer) {
                try {
                    writer.write(line);
                    writer.write(System.lineSeparator());
                    writer.flush();
                } catch (IOException e) {
                    // the log is only for people
                }
            }
        }
    }
}
