package dev.ticketing.events;

/** Names of the message headers every event carries beside its JSON payload. */
public final class EventHeaders {

    /** JetStream's de-duplication header; holds the event id, so a re-publish is stored once. */
    public static final String MESSAGE_ID = "Nats-Msg-Id";
    public static final String EVENT_ID = "Ticketing-Event-Id";
    public static final String EVENT_TYPE = "Ticketing-Event-Type";
    public static final String SCHEMA_VERSION = "Ticketing-Schema-Version";
    /** ISO-8601 instant at which the fact happened (not when it was published). */
    public static final String OCCURRED_AT = "Ticketing-Occurred-At";
    /**
     * {@code true} on an event republished as a resync: the current state of a record, sent again after the stream
     * lost its history. A replica applies it at any version above the one it holds. Absent on every other event.
     */
    public static final String RESYNC = "Ticketing-Resync";

    /** Added when a message is parked as a dead letter. */
    public static final String DEAD_LETTER_SUBJECT = "Ticketing-Dead-Letter-Original-Subject";
    public static final String DEAD_LETTER_SERVICE = "Ticketing-Dead-Letter-Service";
    public static final String DEAD_LETTER_REASON = "Ticketing-Dead-Letter-Reason";
    public static final String DEAD_LETTER_ERROR = "Ticketing-Dead-Letter-Error";
    public static final String DEAD_LETTER_DELIVERIES = "Ticketing-Dead-Letter-Deliveries";
    public static final String DEAD_LETTER_STREAM_SEQUENCE = "Ticketing-Dead-Letter-Stream-Sequence";

    private EventHeaders() {
    }
}
