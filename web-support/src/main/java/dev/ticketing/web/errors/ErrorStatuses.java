package dev.ticketing.web.errors;

import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;

/**
 * Which of a service's domain exceptions answer with which status. The domain knows nothing of HTTP, so each service
 * declares its mapping in one bean, e.g. {@code new ErrorStatuses(Map.of(TicketReserved.class, BAD_REQUEST))}; a
 * subclass of a listed type answers alike. A 400 says the exception's message; 401 and 404 the contract's fixed one.
 */
public record ErrorStatuses(Map<Class<? extends RuntimeException>, HttpStatus> statuses) {

    public ErrorStatuses {
        statuses = Map.copyOf(statuses);
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
