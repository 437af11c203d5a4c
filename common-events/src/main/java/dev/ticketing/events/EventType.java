package dev.ticketing.events;

import java.util.Arrays;

/** Every event of the system, with its subject: the one place that lists them. */
public enum EventType {
    TICKET_CREATED("ticket.created", TicketCreated.class),
    TICKET_UPDATED("ticket.updated", TicketUpdated.class),
    ORDER_CREATED("order.created", OrderCreated.class),
    ORDER_CANCELLED("order.cancelled", OrderCancelled.class),
    ORDER_COMPLETED("order.completed", OrderCompleted.class),
    EXPIRATION_COMPLETE("expiration.complete", ExpirationComplete.class),
    PAYMENT_CREATED("payment.created", PaymentCreated.class),
    PAYMENT_REFUNDED("payment.refunded", PaymentRefunded.class);

    /** Version of the payload schema; bumped only for an incompatible change. */
    public static final int SCHEMA_VERSION = 1;

    private final String subject;
    private final Class<? extends TicketingEvent> eventClass;

    EventType(String subject, Class<? extends TicketingEvent> eventClass) {
        this.subject = subject;
        this.eventClass = eventClass;
    }

    /** The JetStream subject, which is also the event's stable wire name. */
    public String subject() {
        return subject;
    }

    public Class<? extends TicketingEvent> eventClass() {
        return eventClass;
    }

    public static EventType of(Class<?> eventClass) {
        return Arrays.stream(values())
                .filter(type -> type.eventClass == eventClass)
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("Not a Ticketing event: " + eventClass.getName()));
    }

    public static EventType ofSubject(String subject) {
        return Arrays.stream(values())
                .filter(type -> type.subject.equals(subject))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("No Ticketing event has subject " + subject));
    }
}
