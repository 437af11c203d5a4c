package dev.ticketing.testsupport.service;

/** A signed-in user: their id and the request's {@code Cookie} header value that carries their session. */
public record Session(String userId, String cookie) {
}
