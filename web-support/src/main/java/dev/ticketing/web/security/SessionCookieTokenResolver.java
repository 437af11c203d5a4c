package dev.ticketing.web.security;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Base64;
import org.jspecify.annotations.Nullable;
import org.springframework.security.oauth2.server.resource.web.BearerTokenResolver;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Finds the JWT in the {@code session} cookie, whose value is base64 of {@code {"jwt":"<token>"}} (the Node
 * course's cookie-session format). A cookie that is not in that shape yields no token, so the caller is simply
 * anonymous; the Authorization header is deliberately ignored because the contract knows only the cookie.
 */
final class SessionCookieTokenResolver implements BearerTokenResolver {

    private static final JsonMapper JSON = JsonMapper.shared();

    @Override
    public @Nullable String resolve(HttpServletRequest request) {
        Cookie[] cookies = request.getCookies();
        if (cookies == null) {
            return null;
        }
        for (Cookie cookie : cookies) {
            if (SessionCookies.COOKIE_NAME.equals(cookie.getName())) {
                return tokenIn(cookie.getValue());
            }
        }
        return null;
    }

    static @Nullable String tokenIn(@Nullable String cookieValue) {
        if (cookieValue == null || cookieValue.isBlank()) {
            return null;
        }
        byte[] json = decode(cookieValue.strip());
        if (json == null) {
            return null;
        }
        try {
            JsonNode jwt = JSON.readTree(json).path("jwt");
            return jwt.isString() && !jwt.stringValue().isBlank() ? jwt.stringValue() : null;
        } catch (JacksonException notJson) {
            return null;
        }
    }

    /** Node's Buffer accepts both base64 alphabets; so do we. */
    private static byte @Nullable [] decode(String value) {
        try {
            return Base64.getDecoder().decode(value);
        } catch (IllegalArgumentException notStandard) {
            try {
                return Base64.getUrlDecoder().decode(value);
            } catch (IllegalArgumentException notBase64) {
                return null;
            }
        }
    }
}
