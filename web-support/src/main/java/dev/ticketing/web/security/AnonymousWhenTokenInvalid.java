package dev.ticketing.web.security;

import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.authority.AuthorityUtils;

/**
 * The contract says a bad token (malformed, tampered, expired, wrongly signed, {@code alg: none}) is never an error
 * by itself: the caller is anonymous. Spring's resource server would answer 401 at once, even on open routes, so
 * this manager turns a rejected token into an anonymous authentication and lets authorization decide.
 */
final class AnonymousWhenTokenInvalid implements AuthenticationManager {

    private static final Logger log = LoggerFactory.getLogger(AnonymousWhenTokenInvalid.class);
    private static final String KEY = UUID.randomUUID().toString();

    private final AuthenticationProvider tokens;

    AnonymousWhenTokenInvalid(AuthenticationProvider tokens) {
        this.tokens = tokens;
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        try {
            Authentication authenticated = tokens.authenticate(authentication);
            // A provider returns null for a token it does not support: no session either.
            return authenticated != null ? authenticated : anonymous();
        } catch (AuthenticationException rejected) {
            log.debug("Session token rejected, caller is anonymous: {}", rejected.getMessage());
            return anonymous();
        }
    }

    private static Authentication anonymous() {
        return new AnonymousAuthenticationToken(KEY, "anonymousUser", AuthorityUtils.createAuthorityList("ROLE_ANONYMOUS"));
    }
}
