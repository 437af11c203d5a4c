package dev.ticketing.web.errors;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;

/** The contract's fixed client-facing messages, in one place. */
final class Messages {

    static final String NOT_FOUND = "Not Found";
    static final String NOT_AUTHORIZED = "Not authorized";
    static final String SOMETHING_WENT_WRONG = "Something went wrong";
    static final String CONFLICT = "The resource was changed by someone else; reload it and try again";
    static final String JSON_ONLY = "Content type must be application/json";

    private Messages() {
    }

    /** The message the contract fixes for a status whatever the cause says, or null where the cause may speak. */
    static @Nullable String fixedFor(HttpStatusCode status) {
        if (status.is5xxServerError()) {
            return SOMETHING_WENT_WRONG;
        }
        return switch (status.value()) {
            case 401, 403 -> NOT_AUTHORIZED;
            case 404 -> NOT_FOUND;
            default -> null;
        };
    }

    static String reasonPhrase(HttpStatusCode status) {
        HttpStatus known = HttpStatus.resolve(status.value());
        return known != null ? known.getReasonPhrase() : "Request failed";
    }
}
