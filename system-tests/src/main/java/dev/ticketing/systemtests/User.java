package dev.ticketing.systemtests;

/** A signed-up user as a client sees it: the id and the {@code session} cookie to send back. */
public record User(String id, String email, String cookie) {
}
