package dev.ticketing.systemtests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code POST /api/tickets} as fast as {@code clients} concurrent signed-in clients can, through the edge, for a
 * bounded time. Uses {@code wrk} (Debian's package) with a Lua script when it is installed, otherwise a Java
 * loop with the JDK's HTTP client; the result names the tool.
 */
final class TicketLoad {

    private static final String BODY = "{\"title\":\"Load test\",\"price\":12.5}";
    private static final int MAX_SAMPLES = 5_000_000;

    private final URI edge;
    private final User user;
    private final int clients;

    TicketLoad(URI edge, User user, int clients) {
        this.edge = edge;
        this.user = user;
        this.clients = clients;
    }

    LoadResult run(Duration duration) {
        return wrk().map(binary -> withWrk(binary, duration)).orElseGet(() -> withJava(duration));
    }

    static Optional<Path> wrk() {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .filter(dir -> !dir.isBlank())
                .map(dir -> Path.of(dir, "wrk"))
                .filter(Files::isExecutable)
                .findFirst();
    }

    private LoadResult withWrk(Path binary, Duration duration) {
        try {
            Path script = Files.createTempFile("post-ticket-", ".lua");
            Files.writeString(script, """
                    wrk.method = "POST"
                    wrk.body = '%s'
                    wrk.headers["Content-Type"] = "application/json"
                    wrk.headers["Cookie"] = "%s"
                    """.formatted(BODY, user.cookie()), StandardCharsets.UTF_8);
            try {
                // Two threads: the machine has two cores, shared with everything under test.
                Process process = new ProcessBuilder(binary.toString(), "-t2", "-c" + clients,
                        "-d" + duration.toSeconds() + "s", "--timeout", "10s", "--latency", "-s", script.toString(),
                        edge.resolve("/api/tickets").toString())
                        .redirectErrorStream(true)
                        .start();
                String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!process.waitFor(duration.toSeconds() + 30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                    process.destroyForcibly();
                    throw new IllegalStateException("wrk failed:\n" + output);
                }
                return parseWrk(output, duration);
            } finally {
                Files.deleteIfExists(script);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private LoadResult parseWrk(String output, Duration duration) {
        long requests = longOf(output, "(\\d+) requests in");
        long failures = output.contains("Non-2xx") ? longOf(output, "Non-2xx or 3xx responses: (\\d+)") : 0;
        long socketErrors = output.contains("Socket errors")
                ? Stream.of("connect", "read", "write", "timeout").mapToLong(kind -> longOf(output, kind + " (\\d+)")).sum()
                : 0;
        return new LoadResult("wrk", clients, duration.toSeconds(), requests,
                Double.parseDouble(group(output, "Requests/sec:\\s+([\\d.]+)")), millis(output, "50%"),
                millis(output, "90%"), millis(output, "99%"), failures + socketErrors);
    }

    private LoadResult withJava(Duration duration) {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest request = HttpRequest.newBuilder(edge.resolve("/api/tickets"))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .header("Cookie", user.cookie())
                .POST(HttpRequest.BodyPublishers.ofString(BODY))
                .build();
        long[] latencies = new long[MAX_SAMPLES];
        AtomicLong count = new AtomicLong();
        AtomicLong failures = new AtomicLong();
        long start = System.nanoTime();
        long deadline = start + duration.toNanos();
        try (ExecutorService pool = Executors.newFixedThreadPool(clients)) {
            for (int i = 0; i < clients; i++) {
                pool.submit(() -> {
                    while (System.nanoTime() < deadline) {
                        long begin = System.nanoTime();
                        int status;
                        try {
                            status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                        } catch (IOException e) {
                            status = -1;
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return;
                        }
                        long index = count.getAndIncrement();
                        if (index < MAX_SAMPLES) {
                            latencies[(int) index] = System.nanoTime() - begin;
                        }
                        if (status != 201) {
                            failures.incrementAndGet();
                        }
                    }
                });
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long[] sorted = Arrays.copyOf(latencies, (int) Math.min(count.get(), MAX_SAMPLES));
        Arrays.sort(sorted);
        return new LoadResult("Java HttpClient loop", clients, seconds, count.get(), count.get() / seconds,
                percentile(sorted, 0.50), percentile(sorted, 0.90), percentile(sorted, 0.99), failures.get());
    }

    private static double percentile(long[] sorted, double quantile) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[(int) Math.min(sorted.length - 1, Math.floor(quantile * sorted.length))] / 1e6;
    }

    private static double millis(String output, String percentile) {
        Matcher matcher = Pattern.compile(Pattern.quote(percentile) + "\\s+([\\d.]+)(us|ms|s)").matcher(output);
        if (!matcher.find()) {
            return Double.NaN;
        }
        double value = Double.parseDouble(matcher.group(1));
        return switch (matcher.group(2)) {
            case "us" -> value / 1000;
            case "s" -> value * 1000;
            default -> value;
        };
    }

    private static long longOf(String output, String regex) {
        String value = group(output, regex);
        return value.isEmpty() ? 0 : Long.parseLong(value);
    }

    private static String group(String output, String regex) {
        Matcher matcher = Pattern.compile(regex).matcher(output);
        return matcher.find() ? matcher.group(1) : "";
    }
}
