package dev.ticketing.events;

import java.lang.reflect.Constructor;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.BeanDescription;
import tools.jackson.databind.DeserializationConfig;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.cfg.DateTimeFeature;
import tools.jackson.databind.deser.ValueInstantiator;
import tools.jackson.databind.deser.ValueInstantiators;
import tools.jackson.databind.deser.std.StdValueInstantiator;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;

/**
 * JSON for event payloads: camelCase fields as the course application has them, instants as ISO-8601
 * strings, unknown fields ignored so that a newer producer never breaks an older consumer.
 */
public final class EventCodec {

    private static final EventCodec SHARED = new EventCodec();

    private final JsonMapper mapper = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(DateTimeFeature.WRITE_DATES_AS_TIMESTAMPS)
            .addModule(new RecordConstruction())
            .build();

    // One reader per event type, made once: the consumer's hot path skips Jackson's per-call lookups.
    private final ClassValue<ObjectReader> readers = new ClassValue<>() {
        @Override
        protected ObjectReader computeValue(Class<?> type) {
            return mapper.readerFor(type);
        }
    };

    /** One codec for the whole JVM: it is thread-safe, and each one builds its own mapper and readers. */
    public static EventCodec shared() {
        return SHARED;
    }

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

    /**
     * Events are records: Jackson 3.1 calls their constructor with {@code MethodHandle.invokeWithArguments}, which
     * builds a new spreader on every call (a quarter of the decoding time, measured); reflection's constructor
     * accessor is made once. A constructor that throws is called again the usual way, for Jackson's own error.
     */
    private static final class RecordConstruction extends SimpleModule {

        RecordConstruction() {
            super("ticketing-record-construction");
        }

        @Override
        public void setupModule(SetupContext context) {
            super.setupModule(context);
            context.addValueInstantiators(new ValueInstantiators.Base() {
                @Override
                public ValueInstantiator modifyValueInstantiator(DeserializationConfig config,
                        BeanDescription.Supplier description, ValueInstantiator instantiator) {
                    return instantiator instanceof StdValueInstantiator standard && description.getBeanClass().isRecord()
                            && standard.getWithArgsCreator() != null
                            && standard.getWithArgsCreator().getAnnotated() instanceof Constructor<?> constructor
                            && constructor.trySetAccessible()
                            ? new Direct(standard, constructor) : instantiator;
                }
            });
        }
    }

    private static final class Direct extends StdValueInstantiator {

        private final Constructor<?> constructor;

        Direct(StdValueInstantiator standard, Constructor<?> constructor) {
            super(standard);
            this.constructor = constructor;
        }

        @Override
        public Object createFromObjectWith(DeserializationContext context, Object[] arguments) {
            try {
                return constructor.newInstance(arguments);
            } catch (ReflectiveOperationException | RuntimeException e) {
                return super.createFromObjectWith(context, arguments);
            }
        }
    }

    /** A payload that cannot be read as its event type: retrying will not help. */
    public static final class MalformedEvent extends RuntimeException {

        MalformedEvent(Class<?> eventClass, JacksonException cause) {
            super("Payload is not a valid " + eventClass.getSimpleName() + ": " + cause.getOriginalMessage(), cause);
        }
    }
}
