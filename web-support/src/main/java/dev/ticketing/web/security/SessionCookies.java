package dev.ticketing.web.security;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import org.springframework.http.ResponseCookie;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;

/**
 * Issues and clears the {@code session} cookie. Auth uses it to sign users in and out; other services' tests use it
 * to act as a signed-in user ({@code cookie.getName() + "=" + cookie.getValue()} is the request's Cookie header).
 */
public final class SessionCookies {

    public static final String COOKIE_NAME = "session";

    private final JwtEncoder encoder;
    private final SessionProperties properties;
    private final Clock clock;

    SessionCookies(JwtEncoder encoder, SessionProperties properties, Clock clock) {
        this.encoder = encoder;
        this.properties = properties;
        this.clock = clock;
    }

    /** A cookie holding a fresh token with the contract's claims: {@code id}, {@code email}, {@code iat}, {@code exp}. */
    public ResponseCookie issueFor(String userId, String email) {
        String token = tokenFor(userId, email);
        // A JWT is base64url and dots only, so it needs no JSON escaping.
        String json = "{\"jwt\":\"" + token + "\"}";
        return cookie(Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8))).build();
    }

    /** An expired, empty {@code session} cookie: the browser drops the session. */
    public ResponseCookie cleared() {
        return cookie("").maxAge(0).build();
    }

    String tokenFor(String userId, String email) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        JwtClaimsSet claims = JwtClaimsSet.builder()
                .claim(SessionClaims.ID, userId)
                .claim(SessionClaims.EMAIL, email)
                .issuedAt(now)
                .expiresAt(now.plus(properties.tokenLifetime()))
                .build();
        JwsHeader header = JwsHeader.with(MacAlgorithm.HS256).type("JWT").build();
        return encoder.encode(JwtEncoderParameters.from(header, claims)).getTokenValue();
    }

    /**
     * No Max-Age: like the course's cookie-session, a browser-session cookie; the token's {@code exp} bounds how long
     * it is honoured.
     */
    private ResponseCookie.ResponseCookieBuilder cookie(String value) {
        return ResponseCookie.from(COOKIE_NAME, value)
                .path("/")
                .httpOnly(true)
                .sameSite("Lax")
                .secure(properties.cookieSecure());
    }
}
