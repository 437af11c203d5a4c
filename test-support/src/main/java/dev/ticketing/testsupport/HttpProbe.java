package dev.ticketing.testsupport;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Asks a health endpoint for a 200, once or until it answers, as a readiness probe would. */
public final class HttpProbe {

    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(1))
            .version(HttpClient.Version.HTTP_1_1)
            .build();
    /**
     * Short: the time to ready a launcher reports (and the start-up benchmark measures) is late by half of it on
     * average. A refused connection costs the starting service nothing, and readiness answers within milliseconds.
     */
    private static final Duration INTERVAL = Duration.ofMillis(20);

    private HttpProbe() {
    }

    public static boolean isOk(URI uri) {
        try {
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).build();
            return CLIENT.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Waits until {@code uri} answers 200. False when {@code timeout} passes or {@code worthWaiting} turns false
     * (the process died), so that the caller can say why.
     */
    public static boolean awaitOk(URI uri, Duration timeout, BooleanSupplier worthWaiting) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (isOk(uri)) {
                return true;
            }
            if (!worthWaiting.getAsBoolean()) {
                return false;
            }
            try {
                // A launcher's probe, not a test's wait: a plain pause between probes is what a probe does.
                Thread.sleep(INTERVAL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }
}
