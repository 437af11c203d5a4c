package dev.ticketing.web.errors;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.http.converter.HttpMessageNotReadableException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.MismatchedInputException;

/**
 * Says in one short sentence why a request body could not be read: never the parser's own message, which names Java
 * types and echoes input.
 */
final class UnreadableBody {

    private UnreadableBody() {
    }

    static Optional<RequestBodyTooLarge> tooLarge(HttpMessageNotReadableException ex) {
        for (Throwable cause = ex.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof RequestBodyTooLarge tooLarge) {
                return Optional.of(tooLarge);
            }
        }
        return Optional.empty();
    }

    static ErrorDetail describe(HttpMessageNotReadableException ex) {
        Throwable cause = ex.getCause();
        if (cause == null) {
            // Spring raises it without a cause only when a required body is absent.
            return ErrorDetail.of("Request body is missing");
        }
        if (cause instanceof MismatchedInputException mismatch) {
            String path = path(mismatch.getPath());
            String expected = expected(mismatch.getTargetType());
            if (path.isEmpty()) {
                return ErrorDetail.of("Request body must be " + (expected.equals("an object") ? "a JSON object" : expected));
            }
            return ErrorDetail.of(path + " must be " + expected, path);
        }
        if (cause instanceof StreamReadException) {
            return ErrorDetail.of("Request body is not valid JSON");
        }
        return ErrorDetail.of("Request body could not be read");
    }

    private static String path(List<JacksonException.Reference> references) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference reference : references) {
            if (reference.getPropertyName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(reference.getPropertyName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static String expected(@Nullable Class<?> type) {
        if (type == null) {
            return "a valid value";
        }
        if (CharSequence.class.isAssignableFrom(type) || type == char.class || type == Character.class) {
            return "a string";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type.isPrimitive() || Number.class.isAssignableFrom(type)
                || type == BigDecimal.class || type == BigInteger.class) {
            return "a number";
        }
        if (type.isArray() || Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        if (type.isEnum()) {
            return "one of " + Arrays.toString(type.getEnumConstants());
        }
        if (Map.class.isAssignableFrom(type) || !type.getName().startsWith("java.")) {
            return "an object";
        }
        return "a valid value";
    }
}
