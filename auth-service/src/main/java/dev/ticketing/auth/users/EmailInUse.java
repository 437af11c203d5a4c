package dev.ticketing.auth.users;

import dev.ticketing.web.errors.BadRequestException;

final class EmailInUse extends BadRequestException {

    EmailInUse() {
        super("Email in use");
    }
}
