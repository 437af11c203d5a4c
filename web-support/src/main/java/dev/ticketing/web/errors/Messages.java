package dev.ticketing.web.errors;

/** The contract's fixed client-facing messages, in one place. */
final class Messages {

    static final String NOT_FOUND = "Not Found";
    static final String NOT_AUTHORIZED = "Not authorized";
    static final String SOMETHING_WENT_WRONG = "Something went wrong";
    static final String CONFLICT = "The resource was changed by someone else; reload it and try again";
    static final String JSON_ONLY = "Content type must be application/json";

    private Messages() {
    }
}
