package dev.ticketing.events;

/**
 * An event on the Ticketing bus. Every event is a record of a fact in the past tense; its wire name and
 * subject come from {@link EventType}, never from the Java class name.
 */
public sealed interface TicketingEvent permits VersionedEvent, ExpirationComplete, PaymentCreated, PaymentRefunded {

    /** The id that orders this event among others of the same record (used for outbox ordering and logs). */
    String recordId();

    default EventType type() {
        return EventType.of(getClass());
    }
}
