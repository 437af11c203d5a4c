package dev.ticketing.web.security;

import java.time.Instant;

/**
 * The signed-in caller, from a valid session token. Declare it as a controller method parameter: a {@code CurrentUser}
 * parameter answers 401 {@code Not authorized} for anonymous callers; an {@code Optional<CurrentUser>} parameter is
 * empty for them instead.
 *
 * @param id the user's id (24-hex ObjectId string)
 * @param email the user's normalized email
 * @param issuedAt when the session token was issued ({@code iat})
 */
public record CurrentUser(String id, String email, Instant issuedAt) {
}
