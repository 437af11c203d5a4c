package dev.ticketing.events;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.cfg.DateTimeFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * JSON for event payloads: camelCase fields as the course application has them, instants as ISO-8601
 * strings, unknown fields ignored so that a newer producer never breaks an older consumer.
 */
public final class EventCodec {

    private final JsonMapper mapper = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(DateTimeFeature.WRITE_DATES_AS_TIMESTAMPS)
            .build();

    // One reader per event type, made once: the consumer's hot path skips Jackson's per-call lookups.
    private final ClassValue<ObjectReader> readers = new ClassValue<>() {
        @Override
        protected ObjectReader computeValue(Class<?> type) {
            return mapper.readerFor(type);
        }
    };

    public byte[] encode(TicketingEvent event) {
        return mapper.writeValueAsBytes(event);
    }

    public <E extends TicketingEvent> E decode(byte[] json, Class<E> eventClass) {
        try {
            return readers.get(eventClass).readValue(json);
        } catch (JacksonException e) {
            throw new MalformedEvent(eventClass, e);
        }
    }

    /** A payload that cannot be read as its event type: retrying will not help. */
    public static final class MalformedEvent extends RuntimeException {

        MalformedEvent(Class<?> eventClass, JacksonException cause) {
            super("Payload is not a valid " + eventClass.getSimpleName() + ": " + cause.getOriginalMessage(), cause);
        }
    }
}
