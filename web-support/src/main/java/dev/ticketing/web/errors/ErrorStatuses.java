package dev.ticketing.web.errors;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;

/**
 * Which of a service's domain exceptions answer with which status. The domain knows nothing of HTTP, so each service
 * declares its mapping in one bean, e.g. {@code ErrorStatuses.of(BAD_REQUEST, TicketReserved.class)}; a subclass of a
 * listed type answers alike. A 400 says the exception's message; 401 and 404 say the contract's fixed message.
 */
public final class ErrorStatuses {

    private final Map<Class<? extends RuntimeException>, HttpStatus> statuses;

    private ErrorStatuses(Map<Class<? extends RuntimeException>, HttpStatus> statuses) {
        this.statuses = Map.copyOf(statuses);
    }

    @SafeVarargs
    public static ErrorStatuses of(HttpStatus status, Class<? extends RuntimeException>... types) {
        return new ErrorStatuses(Map.of()).and(status, types);
    }

    @SafeVarargs
    public final ErrorStatuses and(HttpStatus status, Class<? extends RuntimeException>... types) {
        Map<Class<? extends RuntimeException>, HttpStatus> more = new LinkedHashMap<>(statuses);
        for (Class<? extends RuntimeException> type : types) {
            more.put(type, status);
        }
        return new ErrorStatuses(more);
    }

    @Nullable
    HttpStatus statusOf(Throwable ex) {
        for (Class<?> type = ex.getClass(); type != null; type = type.getSuperclass()) {
            HttpStatus status = statuses.get(type);
            if (status != null) {
                return status;
            }
        }
        return null;
    }
}
