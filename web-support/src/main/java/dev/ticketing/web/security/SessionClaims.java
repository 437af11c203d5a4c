package dev.ticketing.web.security;

import java.util.regex.Pattern;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;

/** The contract's claims ({@code id}, {@code email}, {@code iat}, {@code exp}) and the check that a token has them. */
final class SessionClaims implements OAuth2TokenValidator<Jwt> {

    static final String ID = "id";
    static final String EMAIL = "email";

    private static final Pattern OBJECT_ID = Pattern.compile("[0-9a-f]{24}");

    @Override
    public OAuth2TokenValidatorResult validate(Jwt jwt) {
        Object id = jwt.getClaims().get(ID);
        Object email = jwt.getClaims().get(EMAIL);
        if (id instanceof String value && OBJECT_ID.matcher(value).matches()
                && email instanceof String address && !address.isBlank() && jwt.getIssuedAt() != null) {
            return OAuth2TokenValidatorResult.success();
        }
        return OAuth2TokenValidatorResult.failure(
                new OAuth2Error(OAuth2ErrorCodes.INVALID_TOKEN, "Session token lacks id, email or iat", null));
    }
}
