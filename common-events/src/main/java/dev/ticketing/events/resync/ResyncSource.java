package dev.ticketing.events.resync;

import dev.ticketing.events.VersionedEvent;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The records a service owns, read for a resync: after the event stream lost its history, {@link StreamResync}
 * republishes each record's current state through this. A service declares one bean of this type.
 */
@FunctionalInterface
public interface ResyncSource {

    /**
     * Up to {@code limit} records whose ids come after {@code afterId} (from the first when it is null), in id
     * order, each as the one event that states it as it is now, at its current version. A page shorter than
     * {@code limit} is the last.
     */
    List<? extends VersionedEvent> page(@Nullable String afterId, int limit);
}
