package dev.ticketing.web.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import java.util.Set;
import org.springframework.http.HttpMethod;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Half of the CSRF defence (see web-support/README.md): a state-changing request that declares a content type must
 * declare JSON. HTML forms can only send urlencoded, multipart or text/plain, and a cross-site JSON request needs a
 * CORS preflight that no service grants, so a foreign page cannot make a browser change anything here.
 */
final class JsonOnlyStateChanges implements HandlerInterceptor {

    private static final Set<HttpMethod> STATE_CHANGING = Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH,
            HttpMethod.DELETE);

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
            throws HttpMediaTypeNotSupportedException {
        String contentType = request.getContentType();
        if (contentType == null || !STATE_CHANGING.contains(HttpMethod.valueOf(request.getMethod()))) {
            return true;
        }
        if (!isJson(contentType)) {
            throw new HttpMediaTypeNotSupportedException("Content type '" + contentType + "' is not accepted");
        }
        return true;
    }

    private static boolean isJson(String contentType) {
        try {
            MediaType type = MediaType.parseMediaType(contentType);
            return List.of(MediaType.APPLICATION_JSON, new MediaType("application", "*+json")).stream()
                    .anyMatch(json -> json.includes(type));
        } catch (InvalidMediaTypeException unparseable) {
            return false;
        }
    }
}
