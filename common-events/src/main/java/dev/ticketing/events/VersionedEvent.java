package dev.ticketing.events;

/**
 * An event about a versioned record: {@code version} is the version that the owning service wrote when it
 * emitted the event. A replica applies version {@code n} only when it holds {@code n - 1}.
 */
public sealed interface VersionedEvent extends TicketingEvent
        permits TicketCreated, TicketUpdated, OrderCreated, OrderCancelled, OrderCompleted {

    String id();

    long version();

    @Override
    default String recordId() {
        return id();
    }
}
