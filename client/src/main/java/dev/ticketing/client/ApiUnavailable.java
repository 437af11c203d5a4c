package dev.ticketing.client;

/** The API could not be reached, or failed (5xx): the page cannot be made; the user gets a 503 page. */
final class ApiUnavailable extends RuntimeException {

    ApiUnavailable(String message, Throwable cause) {
        super(message, cause);
    }

    ApiUnavailable(String message) {
        super(message);
    }
}
