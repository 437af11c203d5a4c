package dev.ticketing.web.security;

/** The JWT signing key is missing or too weak; the service must not start. The message never contains the key. */
public final class InvalidJwtKeyException extends IllegalArgumentException {

    private InvalidJwtKeyException(String message) {
        super(message);
    }

    static InvalidJwtKeyException missing() {
        return new InvalidJwtKeyException("JWT_KEY is not set. Every service needs the shared secret that signs and "
                + "verifies session tokens (environment variable JWT_KEY, or property ticketing.security.jwt-key).");
    }

    static InvalidJwtKeyException tooShort(int length, int minimum) {
        return new InvalidJwtKeyException("JWT_KEY is too short: " + length + " bytes, but HS256 needs at least "
                + minimum + " bytes (256 bits).");
    }
}
