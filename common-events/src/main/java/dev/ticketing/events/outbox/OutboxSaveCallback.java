package dev.ticketing.events.outbox;

import java.util.List;
import org.bson.Document;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.data.mongodb.core.mapping.MongoMappingContext;
import org.springframework.data.mongodb.core.mapping.MongoPersistentEntity;
import org.springframework.data.mongodb.core.mapping.MongoPersistentProperty;
import org.springframework.data.mongodb.core.mapping.event.AfterSaveCallback;

/**
 * Hands every written entity that holds pending events to the relay, right after the write, read from the entity
 * itself (no need to parse the document back). The relay is looked up lazily: it needs the MongoTemplate, whose
 * converter needs this callback.
 */
final class OutboxSaveCallback implements AfterSaveCallback<Object> {

    private final ObjectProvider<OutboxRelay> relay;
    private final MongoMappingContext mappingContext;

    OutboxSaveCallback(ObjectProvider<OutboxRelay> relay, MongoMappingContext mappingContext) {
        this.relay = relay;
        this.mappingContext = mappingContext;
    }

    @Override
    public Object onAfterSave(Object entity, Document document, String collection) {
        MongoPersistentEntity<?> mapped = mappingContext.getPersistentEntity(entity.getClass());
        MongoPersistentProperty outbox = mapped == null ? null : mapped.getPersistentProperty(OutboxEntry.FIELD);
        if (outbox != null && mapped.getPropertyAccessor(entity).getProperty(outbox) instanceof List<?> pending
                && !pending.isEmpty()) {
            List<OutboxEntry> entries = pending.stream().map(OutboxEntry.class::cast).toList();
            relay.getObject().written(collection, document.get("_id"), entries);
        }
        return entity;
    }
}
