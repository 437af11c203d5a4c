package dev.ticketing.events.outbox;

import java.util.List;
import org.bson.Document;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.data.mongodb.core.mapping.event.AfterSaveCallback;

/**
 * Hands every written document that holds pending events to the relay, right after the write. The relay is
 * looked up lazily: it needs the MongoTemplate, whose converter needs this callback.
 */
final class OutboxSaveCallback implements AfterSaveCallback<Object> {

    private final ObjectProvider<OutboxRelay> relay;

    OutboxSaveCallback(ObjectProvider<OutboxRelay> relay) {
        this.relay = relay;
    }

    @Override
    public Object onAfterSave(Object entity, Document document, String collection) {
        List<OutboxEntry> entries = OutboxRelay.entries(document.get(OutboxEntry.FIELD));
        if (!entries.isEmpty()) {
            relay.getObject().written(collection, document.get("_id"), entries);
        }
        return entity;
    }
}
