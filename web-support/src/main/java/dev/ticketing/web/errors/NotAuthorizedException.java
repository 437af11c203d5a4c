package dev.ticketing.web.errors;

/**
 * The caller is not signed in, or is signed in but not the owner: 401 {@code Not authorized} (the course answers
 * 401, never 403, for both).
 */
public class NotAuthorizedException extends RuntimeException {

    public NotAuthorizedException() {
        this("Not authorized");
    }

    /** The message is for logs only; clients always read {@code Not authorized}. */
    public NotAuthorizedException(String logMessage) {
        super(logMessage, null, false, false);
    }
}
