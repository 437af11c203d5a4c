package dev.ticketing.auth.users;

import dev.ticketing.web.errors.BadRequestException;

/** One message for an unknown email and a wrong password, so the answer never tells which addresses exist. */
final class InvalidCredentials extends BadRequestException {

    InvalidCredentials() {
        super("Invalid credentials");
    }
}
