package dev.ticketing.web.security;

import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.servlet.mvc.method.RequestMappingInfoHandlerMapping;

/**
 * Matches requests whose path some controller maps (any method). The contract wants 404 for an unknown route even
 * from an anonymous caller, so authorization lets unknown paths through to MVC, which answers 404; everything a
 * controller does map stays protected unless opened.
 */
final class KnownRoutes implements RequestMatcher {

    private final ObjectProvider<RequestMappingInfoHandlerMapping> mappings;
    private volatile @Nullable List<RequestMatcher> known;

    KnownRoutes(ObjectProvider<RequestMappingInfoHandlerMapping> mappings) {
        this.mappings = mappings;
    }

    @Override
    public boolean matches(HttpServletRequest request) {
        return known().stream().anyMatch(route -> route.matches(request));
    }

    /** Read on first use: handler methods are registered once, after the filter chain is built. */
    private List<RequestMatcher> known() {
        List<RequestMatcher> routes = known;
        if (routes == null) {
            routes = mappings.orderedStream()
                    .flatMap(mapping -> mapping.getHandlerMethods().keySet().stream())
                    .flatMap(info -> info.getPatternValues().stream())
                    .distinct()
                    .map(pattern -> pattern.isEmpty() ? "/" : pattern)
                    .<RequestMatcher>map(pattern -> PathPatternRequestMatcher.withDefaults().matcher(pattern))
                    .toList();
            known = routes;
        }
        return routes;
    }
}
