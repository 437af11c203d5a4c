package dev.ticketing.web.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * Security failures happen in filters, outside MVC; hand them to MVC's exception resolvers so the one
 * {@code @RestControllerAdvice} renders them like every other error (401 {@code Not authorized}).
 */
final class SecurityProblems implements AuthenticationEntryPoint, AccessDeniedHandler {

    private final ObjectProvider<HandlerExceptionResolver> resolver;

    SecurityProblems(ObjectProvider<HandlerExceptionResolver> resolver) {
        this.resolver = resolver;
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException ex) {
        resolver.getObject().resolveException(request, response, null, ex);
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException ex) {
        // Course compatibility: signed in but not allowed is 401 too, never 403.
        resolver.getObject().resolveException(request, response, null, ex);
    }
}
