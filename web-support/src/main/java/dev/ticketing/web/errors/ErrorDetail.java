package dev.ticketing.web.errors;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

/** One entry of a problem's {@code errors} array; {@code field} only for a field-level validation failure. */
public record ErrorDetail(String message, @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String field) {

    public static ErrorDetail of(String message) {
        return new ErrorDetail(message, null);
    }

    public static ErrorDetail of(String message, String field) {
        return new ErrorDetail(message, field);
    }
}
