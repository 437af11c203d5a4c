package dev.ticketing.events.outbox;

import static org.springframework.data.mongodb.core.query.Criteria.where;
import static org.springframework.data.mongodb.core.query.Query.query;

import dev.ticketing.events.EventType;
import dev.ticketing.events.bus.NatsEventBus;
import dev.ticketing.events.bus.PublishFailed;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.bson.Document;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.data.mongodb.core.MongoOperations;
import org.springframework.data.mongodb.core.mapping.MongoMappingContext;
import org.springframework.data.mongodb.core.mapping.MongoPersistentEntity;
import org.springframework.data.mongodb.core.mapping.MongoPersistentProperty;
import org.springframework.data.mongodb.core.mapping.event.AfterSaveCallback;
import org.springframework.data.mongodb.core.query.Query;

/**
 * Publishes the events that aggregates recorded in their own documents, then removes them.
 *
 * <p>Right after each successful write the relay publishes that document's pending events (the fast path);
 * a sweep every {@code sweep-interval} picks up whatever a crash or a NATS outage left behind. Per document
 * at most one relay runs at a time and events go out oldest first, each confirmed by JetStream before it is
 * removed; a re-publish after a crash carries the same event id, which JetStream de-duplicates, and
 * consumers are idempotent besides. Nothing is published for a write that did not happen, because the
 * events exist only inside the written document.
 */
final class OutboxRelay implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

    /** Stops after the web server's graceful shutdown (DEFAULT_PHASE - 1024), so late writes still go out. */
    static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 2048;

    private enum State { RUNNING, RERUN }

    private record Key(String collection, Object id) {
    }

    private final MongoOperations mongo;
    private final OutboxRemovals removals;
    private final NatsEventBus publisher;
    private final OutboxSettings settings;
    private final Set<String> collections = ConcurrentHashMap.newKeySet();
    private final ConcurrentHashMap<Key, State> relays = new ConcurrentHashMap<>();
    private final Semaphore slots;
    // Made on start and ended on stop: a stopped context (or a test context paused between tests) starts again.
    private volatile ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    private volatile @Nullable ScheduledExecutorService sweeper;
    private final Counter relayed;
    private final AtomicLong pending = new AtomicLong();
    private final AtomicLong oldestPendingMillis = new AtomicLong();
    private volatile boolean running;
    private volatile @Nullable Instant lastSweep;

    OutboxRelay(MongoOperations mongo, NatsEventBus publisher, OutboxSettings settings, Set<String> collections,
            MeterRegistry meters) {
        this.mongo = mongo;
        this.removals = new OutboxRemovals(mongo);
        this.publisher = publisher;
        this.settings = settings;
        this.collections.addAll(collections);
        this.slots = new Semaphore(settings.maxConcurrentRelays());
        this.relayed = Counter.builder("ticketing.outbox.relayed")
                .description("Outbox events published and removed").register(meters);
        Gauge.builder("ticketing.outbox.pending", pending, AtomicLong::get)
                .description("Events waiting in documents at the last sweep").register(meters);
        Gauge.builder("ticketing.outbox.oldest.age", oldestPendingMillis, millis -> millis.get() / 1000.0)
                .baseUnit("seconds").description("Age of the oldest pending event at the last sweep").register(meters);
    }

    /** The fast path: called right after a document with pending events was written. */
    void written(String collection, Object id, List<OutboxEntry> entries) {
        collections.add(collection);
        trigger(new Key(collection, id), entries);
    }

    private void trigger(Key key, @Nullable List<OutboxEntry> snapshot) {
        if (!running || !settings.relayEnabled()) {
            return;
        }
        AtomicBoolean start = new AtomicBoolean();
        relays.compute(key, (k, state) -> {
            if (state == null) {
                start.set(true);
                return State.RUNNING;
            }
            return State.RERUN; // the relay in progress reads the document again when it is done
        });
        if (start.get()) {
            try {
                workers.execute(() -> drain(key, snapshot));
            } catch (RejectedExecutionException stopped) {
                // stop() came between the check above and here: the write is done and its events wait in the
                // document. Unmark the key so that the sweep after the next start relays them.
                relays.remove(key);
            }
        }
    }

    private void drain(Key key, @Nullable List<OutboxEntry> snapshot) {
        List<OutboxEntry> entries = snapshot;
        try {
            slots.acquire();
            try {
                do {
                    relay(key, entries == null ? load(key) : entries);
                    entries = null;
                } while (relays.compute(key, (k, state) -> state == State.RERUN ? State.RUNNING : null) != null);
            } finally {
                slots.release();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            relays.remove(key);
        } catch (RuntimeException e) {
            relays.remove(key);
            log.warn("Outbox relay of {} {} failed; the sweep retries it", key.collection(), key.id(), e);
        }
    }

    /**
     * Publishes the entries in order, each confirmed before the next goes, then removes the published ones in one
     * write. A crash before that write leaves them in the document: published again, with the same ids, which
     * JetStream de-duplicates.
     */
    private void relay(Key key, List<OutboxEntry> entries) {
        List<String> published = new ArrayList<>(entries.size());
        for (OutboxEntry entry : entries) {
            try {
                publisher.publishEncoded(EventType.ofSubject(entry.subject()), UUID.fromString(entry.eventId()),
                        entry.occurredAt(), entry.payload().getBytes(StandardCharsets.UTF_8));
            } catch (PublishFailed e) {
                // NATS is away: the rest stay in the document, in order, until the sweep succeeds.
                log.debug("Outbox relay of {} {} paused: {}", key.collection(), key.id(), e.getMessage());
                break;
            }
            published.add(entry.eventId());
        }
        if (!published.isEmpty()) {
            removals.remove(key.collection(), key.id(), published);
            relayed.increment(published.size());
        }
    }

    private List<OutboxEntry> load(Key key) {
        Query byId = query(where("_id").is(key.id()));
        byId.fields().include(OutboxEntry.FIELD);
        Document document = mongo.findOne(byId, Document.class, key.collection());
        return document == null ? List.of() : entries(document.get(OutboxEntry.FIELD));
    }

    /** Reads the pending events of a stored document, with the template's mapping; absent or empty means none. */
    private List<OutboxEntry> entries(@Nullable Object field) {
        if (!(field instanceof List<?> list)) {
            return List.of();
        }
        return list.stream().map(entry -> mongo.getConverter().read(OutboxEntry.class, (Document) entry)).toList();
    }

    /** The safety net: finds documents that still hold events and relays them. */
    void sweep() {
        long found = 0;
        Instant oldest = null;
        for (String collection : collections) {
            Query withPending = query(where(OutboxEntry.FIELD + ".0").exists(true)).limit(settings.sweepBatch());
            withPending.fields().include(OutboxEntry.FIELD);
            for (Document document : mongo.find(withPending, Document.class, collection)) {
                List<OutboxEntry> entries = entries(document.get(OutboxEntry.FIELD));
                found += entries.size();
                if (!entries.isEmpty() && (oldest == null || entries.getFirst().occurredAt().isBefore(oldest))) {
                    oldest = entries.getFirst().occurredAt();
                }
                Key key = new Key(collection, Objects.requireNonNull(document.get("_id")));
                if (!relays.containsKey(key)) { // a relay queued or running on it reads what it needs itself
                    trigger(key, null);
                }
            }
        }
        pending.set(found);
        oldestPendingMillis.set(oldest == null ? 0 : Math.max(0, Duration.between(oldest, Instant.now()).toMillis()));
        lastSweep = Instant.now();
    }

    OutboxStatus status() {
        return new OutboxStatus(settings.relayEnabled(), Set.copyOf(collections), pending.get(),
                Duration.ofMillis(oldestPendingMillis.get()), lastSweep);
    }

    record OutboxStatus(boolean relayEnabled, Set<String> collections, long pending, Duration oldestAge,
            @Nullable Instant lastSweep) {
    }

    @Override
    public synchronized void start() {
        if (workers.isShutdown()) {
            workers = Executors.newVirtualThreadPerTaskExecutor();
        }
        running = true;
        if (settings.relayEnabled()) {
            ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
                    Thread.ofPlatform().daemon().name("ticketing-outbox-sweep").factory());
            scheduler.scheduleWithFixedDelay(this::sweepSafely, 0, settings.sweepInterval().toMillis(),
                    TimeUnit.MILLISECONDS);
            sweeper = scheduler;
        }
        log.info("Outbox relay {} for collections {}", settings.relayEnabled() ? "started" : "disabled", collections);
    }

    private void sweepSafely() {
        try {
            sweep();
        } catch (RuntimeException e) {
            log.warn("Outbox sweep failed: {}", e.toString());
        }
    }

    @Override
    public synchronized void stop() {
        running = false;
        ScheduledExecutorService scheduler = sweeper;
        if (scheduler != null) {
            scheduler.shutdownNow();
            sweeper = null;
        }
        workers.shutdown();
        try {
            if (!workers.awaitTermination(10, TimeUnit.SECONDS)) {
                log.warn("Outbox relays still running at shutdown; the next start's sweep publishes what they left");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    /**
     * Hands every written entity that holds pending events to the relay, right after the write, read from the entity
     * itself (no need to parse the document back). The relay is looked up lazily: it needs the MongoTemplate, whose
     * converter needs this callback.
     */
    static final class SaveCallback implements AfterSaveCallback<Object> {

        private final ObjectProvider<OutboxRelay> relay;
        private final MongoMappingContext mappingContext;

        SaveCallback(ObjectProvider<OutboxRelay> relay, MongoMappingContext mappingContext) {
            this.relay = relay;
            this.mappingContext = mappingContext;
        }

        @Override
        public Object onAfterSave(Object entity, Document document, String collection) {
            MongoPersistentEntity<?> mapped = mappingContext.getPersistentEntity(entity.getClass());
            MongoPersistentProperty outbox = mapped == null ? null : mapped.getPersistentProperty(OutboxEntry.FIELD);
            if (mapped != null && outbox != null && mapped.getPropertyAccessor(entity).getProperty(outbox) instanceof List<?> pending
                    && !pending.isEmpty()) {
                List<OutboxEntry> entries = pending.stream().map(OutboxEntry.class::cast).toList();
                relay.getObject().written(collection, Objects.requireNonNull(document.get("_id")), entries);
            }
            return entity;
        }
    }
}
