package dev.ticketing.web.security;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The session settings every service shares. {@code jwt-key} is bound from the environment variable
 * {@code JWT_KEY} without any per-service mapping (see {@link JwtKeyFromEnvironment}).
 *
 * @param jwtKey HS256 secret shared by all services; at least 32 bytes (UTF-8)
 * @param tokenLifetime how long an issued token is valid ({@code exp - iat})
 * @param cookieSecure whether the session cookie carries {@code Secure}; turn off only for plain-HTTP local runs
 */
@ConfigurationProperties("ticketing.security")
public record SessionProperties(
        @Nullable String jwtKey,
        @DefaultValue("7d") Duration tokenLifetime,
        @DefaultValue("true") boolean cookieSecure) {

    /** RFC 7518 section 3.2: an HS256 key must be at least as long as the hash output, 256 bits. */
    static final int MINIMUM_KEY_BYTES = 32;

    public SessionProperties {
        // Checked here, at binding, so a service with a missing or weak key never starts.
        if (jwtKey == null || jwtKey.isBlank()) {
            throw InvalidJwtKeyException.missing();
        }
        int length = jwtKey.getBytes(StandardCharsets.UTF_8).length;
        if (length < MINIMUM_KEY_BYTES) {
            throw InvalidJwtKeyException.tooShort(length, MINIMUM_KEY_BYTES);
        }
        if (tokenLifetime.isNegative() || tokenLifetime.isZero()) {
            throw new IllegalArgumentException("ticketing.security.token-lifetime must be positive, was " + tokenLifetime);
        }
    }

    SecretKey signingKey() {
        return new SecretKeySpec(Objects.requireNonNull(jwtKey, "checked at binding").getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    /** Never print the secret: records print every component by default. */
    @Override
    public String toString() {
        return "SessionProperties[jwtKey=******, tokenLifetime=" + tokenLifetime + ", cookieSecure=" + cookieSecure + "]";
    }
}
