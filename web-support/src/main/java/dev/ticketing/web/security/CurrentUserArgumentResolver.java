package dev.ticketing.web.security;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.core.MethodParameter;
import org.springframework.security.authentication.AuthenticationCredentialsNotFoundException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;

/** Gives controllers {@link CurrentUser} (required: 401 when anonymous) or {@code Optional<CurrentUser>}. */
final class CurrentUserArgumentResolver implements HandlerMethodArgumentResolver {

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return parameter.getParameterType() == CurrentUser.class
                || (parameter.getParameterType() == Optional.class
                        && parameter.nested().getNestedParameterType() == CurrentUser.class);
    }

    @Override
    public Object resolveArgument(MethodParameter parameter, @Nullable ModelAndViewContainer mavContainer,
            NativeWebRequest webRequest, @Nullable WebDataBinderFactory binderFactory) {
        Optional<CurrentUser> user = current();
        if (parameter.getParameterType() == Optional.class) {
            return user;
        }
        // A handler that needs the user cannot run without one, even if its route was declared open by mistake.
        return user.orElseThrow(() -> new AuthenticationCredentialsNotFoundException("No session"));
    }

    static Optional<CurrentUser> current() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication instanceof JwtAuthenticationToken token) {
            Jwt jwt = token.getToken();
            Instant issuedAt = jwt.getIssuedAt();
            // SessionClaims let no token without id and email through.
            return Optional.of(new CurrentUser(Objects.requireNonNull(jwt.getClaimAsString(SessionClaims.ID)),
                    Objects.requireNonNull(jwt.getClaimAsString(SessionClaims.EMAIL)),
                    issuedAt != null ? issuedAt : Instant.EPOCH));
        }
        return Optional.empty();
    }
}
