package dev.ticketing.auth.users;

/** Another account already has this email (the unique index says so, also under concurrency). */
final class EmailInUse extends RuntimeException {

    EmailInUse() {
        // A refusal, not a fault: no stack trace to fill or log.
        super("Email in use", null, false, false);
    }
}
