package dev.ticketing.client;

import java.util.List;
import org.jspecify.annotations.Nullable;

/** The API answered 4xx: its status and the course's {@code errors} array ({@code field} only for a field check). */
final class ApiRefused extends RuntimeException {

    record Error(String message, @Nullable String field) {
    }

    private final int status;
    private final List<Error> errors;

    ApiRefused(int status, List<Error> errors) {
        super("API answered " + status + ": " + errors);
        this.status = status;
        this.errors = List.copyOf(errors);
    }

    int status() {
        return status;
    }

    List<Error> errors() {
        return errors;
    }
}
