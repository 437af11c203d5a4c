package dev.ticketing.auth.users;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
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

/** Session cookies built by hand, as an attacker or a stale client would send them. */
final class ForgedTokens {

    /** The key in application-test.yml. */
    static final String KEY = "auth-service-test-key-0123456789abcdef";

    private ForgedTokens() {
    }

    static JWTClaimsSet claims(String id, String email, Instant issuedAt, Duration lifetime) {
        return new JWTClaimsSet.Builder()
                .claim("id", id)
                .claim("email", email)
                .issueTime(Date.from(issuedAt))
                .expirationTime(Date.from(issuedAt.plus(lifetime)))
                .build();
    }

    static String signed(String key, JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).build(),
                    claims);
            jwt.sign(new MACSigner(key.getBytes(StandardCharsets.UTF_8)));
            return jwt.serialize();
        } catch (JOSEException ex) {
            throw new IllegalStateException(ex);
        }
    }

    static String unsigned(JWTClaimsSet claims) {
        return base64Url("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + base64Url(claims.toString()) + ".";
    }

    /** Replaces the payload of a genuine token, keeping its signature. */
    static String withPayload(String token, JWTClaimsSet claims) {
        String[] parts = token.split("\\.");
        return parts[0] + "." + base64Url(claims.toString()) + "." + parts[2];
    }

    /** The JWT inside a "session=..." request cookie. */
    static String tokenOf(String sessionCookie) {
        String value = sessionCookie.substring(sessionCookie.indexOf('=') + 1);
        String json = new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
        return json.substring("{\"jwt\":\"".length(), json.length() - 2);
    }

    static String sessionCookie(String token) {
        return "session=" + Base64.getEncoder().encodeToString(("{\"jwt\":\"" + token + "\"}")
                .getBytes(StandardCharsets.UTF_8));
    }

    private static String base64Url(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
