package dev.ticketing.web.errors;

import java.io.IOException;
import org.springframework.util.unit.DataSize;

/** Thrown from the request body stream once it passes the configured limit; rendered as 413. */
final class RequestBodyTooLarge extends IOException {

    private final DataSize limit;

    RequestBodyTooLarge(DataSize limit) {
        super("Request body is larger than " + limit);
        this.limit = limit;
    }

    String clientMessage() {
        return "Request body is too large (at most " + limit.toKilobytes() + " KB)";
    }
}
