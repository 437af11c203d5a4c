package dev.ticketing.web.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.springframework.http.ResponseCookie;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;

class SessionCookiesTests {

    private static final Instant NOW = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);

    private final SessionProperties properties = new SessionProperties(Tokens.KEY, Duration.ofDays(7), true);
    private final SessionCookies cookies = new SessionCookies(
            NimbusJwtEncoder.withSecretKey(properties.signingKey()).algorithm(MacAlgorithm.HS256).build(),
            properties, Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void issuedCookieHasTheContractAttributes() {
        ResponseCookie cookie = cookies.issueFor(Tokens.USER_ID, Tokens.EMAIL);

        assertThat(cookie.getName()).isEqualTo("session");
        assertThat(cookie.getPath()).isEqualTo("/");
        assertThat(cookie.isHttpOnly()).isTrue();
        assertThat(cookie.isSecure()).isTrue();
        assertThat(cookie.getSameSite()).isEqualTo("Lax");
        assertThat(cookie.toString()).startsWith("session=").contains("; Path=/", "; Secure", "; HttpOnly",
                "; SameSite=Lax").doesNotContain("Max-Age");
    }

    @Test
    void issuedCookieHoldsATokenWithTheContractClaims() {
        ResponseCookie cookie = cookies.issueFor(Tokens.USER_ID, Tokens.EMAIL);
        String json = new String(Base64.getDecoder().decode(cookie.getValue()), StandardCharsets.UTF_8);
        String token = SessionCookieTokenResolver.tokenIn(cookie.getValue());

        Jwt jwt = NimbusJwtDecoder.withSecretKey(properties.signingKey()).build().decode(token);

        assertThat(json).startsWith("{\"jwt\":\"");
        assertThat(jwt.getHeaders()).containsEntry("alg", "HS256");
        assertThat(jwt.getClaimAsString("id")).isEqualTo(Tokens.USER_ID);
        assertThat(jwt.getClaimAsString("email")).isEqualTo(Tokens.EMAIL);
        assertThat(jwt.getIssuedAt()).isEqualTo(NOW);
        assertThat(jwt.getExpiresAt()).isEqualTo(NOW.plus(Duration.ofDays(7)));
        assertThat(jwt.getClaims()).containsOnlyKeys("id", "email", "iat", "exp");
    }

    @Test
    void clearedCookieIsEmptyAndExpired() {
        ResponseCookie cookie = cookies.cleared();

        assertThat(cookie.getValue()).isEmpty();
        assertThat(cookie.getMaxAge()).isZero();
        assertThat(cookie.toString()).startsWith("session=;").contains("; Path=/", "; Max-Age=0",
                "; Expires=Thu, 01 Jan 1970 00:00:00 GMT", "; HttpOnly", "; SameSite=Lax");
    }

    @Test
    void secureFlagFollowsConfiguration() {
        SessionProperties local = new SessionProperties(Tokens.KEY, Duration.ofDays(7), false);
        SessionCookies plainHttp = new SessionCookies(
                NimbusJwtEncoder.withSecretKey(local.signingKey()).build(), local, Clock.systemUTC());

        assertThat(plainHttp.issueFor(Tokens.USER_ID, Tokens.EMAIL).toString()).doesNotContain("Secure");
        assertThat(plainHttp.cleared().toString()).doesNotContain("Secure");
    }
}
