package dev.ticketing.localstack;

/** Something the person running the stack can fix; the message says what and how. */
public final class LocalStackException extends RuntimeException {

    LocalStackException(String message) {
        super(message);
    }

    LocalStackException(String message, Throwable cause) {
        super(message, cause);
    }
}
