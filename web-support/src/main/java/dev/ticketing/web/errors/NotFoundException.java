package dev.ticketing.web.errors;

/** The resource is unknown, or its id is malformed: 404 {@code Not Found}. */
public class NotFoundException extends RuntimeException {

    public NotFoundException() {
        this("Not Found");
    }

    /** The message is for logs only; clients always read {@code Not Found}. */
    public NotFoundException(String logMessage) {
        super(logMessage, null, false, false);
    }
}
