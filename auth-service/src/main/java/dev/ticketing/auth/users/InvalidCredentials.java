package dev.ticketing.auth.users;

/** One message for an unknown email and a wrong password, so the answer never tells which addresses exist. */
final class InvalidCredentials extends RuntimeException {

    InvalidCredentials() {
        super("Invalid credentials", null, false, false);
    }
}
