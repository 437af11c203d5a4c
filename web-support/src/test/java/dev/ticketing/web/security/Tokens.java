package dev.ticketing.web.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;

/** Forges session tokens the way an attacker or a stale client would, to prove each one is refused. */
final class Tokens {

    static final String KEY = "web-support-test-key-0123456789abcdef";
    static final String OTHER_KEY = "another-key-that-is-long-enough-0123456789";
    static final String USER_ID = "5f1e3b2a9c8d7e6f5a4b3c2d";
    static final String EMAIL = "test@test.com";

    private Tokens() {
    }

    static JWTClaimsSet.Builder claims(Instant issuedAt, Duration lifetime) {
        return new JWTClaimsSet.Builder()
                .claim("id", USER_ID)
                .claim("email", EMAIL)
                .issueTime(Date.from(issuedAt))
                .expirationTime(Date.from(issuedAt.plus(lifetime)));
    }

    static JWTClaimsSet validClaims() {
        return claims(Instant.now(), Duration.ofHours(1)).build();
    }

    static String signed(JWSAlgorithm algorithm, String key, JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(algorithm).type(com.nimbusds.jose.JOSEObjectType.JWT).build(),
                    claims);
            jwt.sign(new MACSigner(key.getBytes(StandardCharsets.UTF_8)));
            return jwt.serialize();
        } catch (JOSEException ex) {
            throw new IllegalStateException(ex);
        }
    }

    static String valid() {
        return signed(JWSAlgorithm.HS256, KEY, validClaims());
    }

    /** The classic attack: an unsigned token that claims to need no signature. */
    static String algNone(JWTClaimsSet claims) {
        return base64Url("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + base64Url(claims.toString()) + ".";
    }

    /** A genuine token whose payload was edited afterwards (another user id), keeping the old signature. */
    static String tampered() {
        String[] parts = valid().split("\\.");
        JWTClaimsSet forged = new JWTClaimsSet.Builder(validClaims()).claim("id", "aaaaaaaaaaaaaaaaaaaaaaaa").build();
        return parts[0] + "." + base64Url(forged.toString()) + "." + parts[2];
    }

    static String cookieValue(String token) {
        return Base64.getEncoder().encodeToString(("{\"jwt\":\"" + token + "\"}").getBytes(StandardCharsets.UTF_8));
    }

    static String base64Url(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
