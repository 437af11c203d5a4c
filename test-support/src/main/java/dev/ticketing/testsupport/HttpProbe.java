package dev.ticketing.testsupport;

import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Supplier;
import org.awaitility.core.ConditionTimeoutException;

/** Polls a health endpoint until it answers 200, as a readiness probe would. */
final class HttpProbe {

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private HttpProbe() {
    }

    static void awaitOk(URI uri, Duration timeout, Supplier<String> diagnostics) {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(1)).build();
        try {
            await().atMost(timeout)
                    .pollInterval(Duration.ofMillis(50))
                    .ignoreExceptions()
                    .until(() -> CLIENT.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException(uri + " did not answer 200 within " + timeout + ". " + diagnostics.get(), e);
        }
    }
}
