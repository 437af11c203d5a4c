package dev.ticketing.events.bus;

import java.util.List;
import java.util.stream.Stream;
import org.springframework.util.ClassUtils;

/**
 * Tells a failure of the handler's own resource from a failure of the event. Spring translates a database
 * that cannot be reached (connection refused, socket errors, server selection timeouts) into
 * {@code DataAccessResourceFailureException} or {@code TransientDataAccessResourceException}. Such an event
 * is not poison: it waits on the server, redelivered with backoff for as long as the outage lasts, instead of
 * being parked after {@code max-deliver}. Looked up by name because the bus does not need Spring's data
 * access classes; without them nothing counts as unavailable.
 */
final class ResourceFailures {

    private static final List<Class<?>> UNAVAILABLE = Stream.of(
                    "org.springframework.dao.DataAccessResourceFailureException",
                    "org.springframework.dao.TransientDataAccessResourceException")
            .filter(name -> ClassUtils.isPresent(name, ResourceFailures.class.getClassLoader()))
            .<Class<?>>map(name -> ClassUtils.resolveClassName(name, ResourceFailures.class.getClassLoader()))
            .toList();

    /** How deep to look through causes: wrapped failures are a few levels deep, never dozens. */
    private static final int MAX_CAUSE_DEPTH = 16;

    private ResourceFailures() {
    }

    /** Whether {@code failure}, or one of its causes, says the handler's resource is unreachable. */
    static boolean isUnavailable(Throwable failure) {
        Throwable cause = failure;
        for (int depth = 0; cause != null && depth < MAX_CAUSE_DEPTH; depth++, cause = cause.getCause()) {
            for (Class<?> type : UNAVAILABLE) {
                if (type.isInstance(cause)) {
                    return true;
                }
            }
        }
        return false;
    }
}
