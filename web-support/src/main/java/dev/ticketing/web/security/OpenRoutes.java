package dev.ticketing.web.security;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpMethod;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Routes anonymous callers may use. Every route a service maps is protected unless some {@code OpenRoutes} bean
 * names it; declare as many beans as you like, e.g.
 * <pre>{@code
 * @Bean
 * OpenRoutes publicTickets() {
 *     return OpenRoutes.of(HttpMethod.GET, "/api/tickets/**");   // "/**" also matches "/api/tickets"
 * }
 * }</pre>
 * Patterns are Spring {@code PathPattern}s. Health and OpenAPI endpoints are always open.
 */
public final class OpenRoutes {

    private final List<Route> routes;

    private OpenRoutes(List<Route> routes) {
        this.routes = List.copyOf(routes);
    }

    /** These paths are open for every HTTP method. */
    public static OpenRoutes of(String... pathPatterns) {
        return new OpenRoutes(List.of()).and(pathPatterns);
    }

    /** These paths are open for {@code method} only. */
    public static OpenRoutes of(HttpMethod method, String... pathPatterns) {
        return new OpenRoutes(List.of()).and(method, pathPatterns);
    }

    public OpenRoutes and(String... pathPatterns) {
        return with(null, pathPatterns);
    }

    public OpenRoutes and(HttpMethod method, String... pathPatterns) {
        return with(method, pathPatterns);
    }

    List<RequestMatcher> matchers() {
        return routes.stream().map(Route::matcher).toList();
    }

    private OpenRoutes with(@Nullable HttpMethod method, String... pathPatterns) {
        if (pathPatterns.length == 0) {
            throw new IllegalArgumentException("Name at least one path pattern");
        }
        List<Route> all = new ArrayList<>(routes);
        Arrays.stream(pathPatterns).map(pattern -> new Route(method, pattern)).forEach(all::add);
        return new OpenRoutes(all);
    }

    @Override
    public String toString() {
        return "OpenRoutes" + routes;
    }

    private record Route(@Nullable HttpMethod method, String pattern) {

        RequestMatcher matcher() {
            return PathPatternRequestMatcher.withDefaults().matcher(method, pattern);
        }

        @Override
        public String toString() {
            return (method == null ? "*" : method.name()) + " " + pattern;
        }
    }
}
