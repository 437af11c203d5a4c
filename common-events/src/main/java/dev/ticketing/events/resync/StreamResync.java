package dev.ticketing.events.resync;

import static org.springframework.data.mongodb.core.query.Criteria.where;
import static org.springframework.data.mongodb.core.query.Query.query;

import dev.ticketing.events.EventEnvelope;
import dev.ticketing.events.VersionedEvent;
import dev.ticketing.events.bus.NatsEventBus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.bson.Document;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.retry.RetryException;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.mongodb.core.MongoOperations;
import org.springframework.data.mongodb.core.query.Update;

/**
 * Republishes every record of this service, once per loss of the event stream's history, whichever replica
 * sees it first and whenever it starts.
 *
 * <p>The bus says when it first sees the event stream and when the stream's creation time changes (it was made
 * again, empty: {@code NatsEventBus.onStreamCreated}). The service's own database keeps, in {@value #COLLECTION}
 * ({@code _id} = stream name), the creation time it last resynchronised for. One conditional write moves that
 * marker to a new time, so of all replicas exactly one wins each new stream; a replica started later finds the
 * marker equal to the stream's time and does nothing. No marker at all: a service without records just stores
 * one (a fresh system), one with records resyncs (an upgrade, or a loss before markers were kept).
 *
 * <p>The winner pages through the {@link ResyncSource} ({@value #PAGE_SIZE} records at a time, in id order) on a
 * thread of its own and publishes each record's current state straight to the bus as a resync
 * ({@link EventEnvelope#resync}), one page of publishes in flight at a time. A page that cannot be read or
 * published is tried again, with backoff, until it goes through. Stopped half-way, it gives the claim back, so the
 * next replica to start does it again; a process killed half-way leaves it unfinished.
 */
public final class StreamResync implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(StreamResync.class);

    static final String COLLECTION = "stream_epochs";
    static final int PAGE_SIZE = 500;
    private static final int LOG_EVERY_PAGES = 20;
    private static final Duration PAGE_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(500);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    /** One creation of the event stream, to the millisecond the database keeps. */
    private record Epoch(String stream, Instant createdAt) {
    }

    private final MongoOperations mongo;
    private final NatsEventBus publisher;
    private final ResyncSource source;
    private final Counter republished;
    private final AtomicReference<@Nullable Epoch> seen = new AtomicReference<>();
    private volatile @Nullable Instant decided;
    private volatile @Nullable ExecutorService worker;
    /** Until it goes through, backing off up to MAX_BACKOFF; only an interruption (stop) ends it. */
    private final RetryTemplate retry = new RetryTemplate(RetryPolicy.builder()
            .maxRetries(Long.MAX_VALUE)
            .delay(FIRST_BACKOFF)
            .multiplier(2)
            .maxDelay(MAX_BACKOFF)
            .predicate(failure -> !(failure instanceof InterruptedException) && !Thread.currentThread().isInterrupted())
            .build());

    public StreamResync(MongoOperations mongo, NatsEventBus publisher, ResyncSource source, MeterRegistry meters) {
        this.mongo = mongo;
        this.publisher = publisher;
        this.source = source;
        this.republished = Counter.builder("ticketing.resync.republished")
                .description("Records this replica republished as a resync").register(meters);
    }

    /**
     * The bus's listener: the event stream, first seen or created again. Returns at once; the claim and the resync
     * run on this object's own thread once it is started.
     */
    public void streamCreated(String stream, Instant createdAt) {
        seen.set(new Epoch(stream, createdAt.truncatedTo(ChronoUnit.MILLIS)));
        submit();
    }

    private void submit() {
        ExecutorService current = worker;
        if (current != null) {
            try {
                current.execute(this::settle);
            } catch (RejectedExecutionException stopping) {
                // stop() came first: the next start() settles what was seen.
            }
        }
    }

    /** Decides on the newest stream seen, resyncing if this replica wins it; retried while the database is away. */
    @SuppressWarnings("NullAway") // RetryTemplate's result may be null; NullAway cannot read that generic
    private void settle() {
        try {
            retry.execute(() -> {
                Epoch epoch = seen.get();
                if (epoch == null || epoch.createdAt().equals(decided)) {
                    return null;
                }
                try {
                    if (claim(epoch.stream(), epoch.createdAt())) {
                        resync(epoch);
                    }
                } catch (RuntimeException e) {
                    log.warn("Could not claim the resync for stream {} created at {}: {}; trying again",
                            epoch.stream(), epoch.createdAt(), e.toString());
                    throw e;
                }
                decided = epoch.createdAt();
                return null;
            });
        } catch (RetryException stopping) {
            Thread.currentThread().interrupt(); // only an interruption ends the retries: the replica is stopping
        }
    }

    /**
     * Moves this service's marker for {@code stream} to {@code createdAt} with one conditional write. Returns whether
     * this caller won and must resync: of any number of callers with the same time, at most one does.
     */
    boolean claim(String stream, Instant createdAt) {
        Date created = Date.from(createdAt);
        Update update = new Update().set("createdAt", created).set("claimedAt", new Date());
        if (mongo.updateFirst(query(where("_id").is(stream).and("createdAt").ne(created)), update, COLLECTION)
                .getMatchedCount() == 1) {
            return true; // the stream was made again since the last resync (or a stopped resync gave its claim back)
        }
        if (mongo.exists(query(where("_id").is(stream)), COLLECTION)) {
            return false; // another replica has it, or this service did before a restart
        }
        // The first marker: a service without records has nothing to restate; one with records resyncs. Read before
        // the marker is written, so that once it exists the decision is made.
        boolean hasRecords = !source.page(null, 1).isEmpty();
        try {
            mongo.insert(new Document("_id", stream).append("createdAt", created).append("claimedAt", new Date()),
                    COLLECTION);
        } catch (DuplicateKeyException raced) {
            return claim(stream, createdAt); // another replica stored the first marker meanwhile: decide on it
        }
        return hasRecords;
    }

    private void resync(Epoch epoch) throws InterruptedException {
        long started = System.nanoTime();
        log.info("Resync for stream {} created at {}: republishing the current state of every record",
                epoch.stream(), epoch.createdAt());
        long count = 0;
        int pages = 0;
        String after = null;
        try {
            while (true) {
                if (!epoch.equals(seen.get())) {
                    log.info("Stream {} was created again during the resync after {} records; starting over",
                            epoch.stream(), count);
                    return;
                }
                List<? extends VersionedEvent> page = publishPage(after, epoch);
                count += page.size();
                if (++pages % LOG_EVERY_PAGES == 0) {
                    log.info("Resync for stream {}: {} records republished so far", epoch.stream(), count);
                }
                if (page.size() < PAGE_SIZE) {
                    break;
                }
                after = page.getLast().id();
            }
        } catch (InterruptedException e) {
            giveBack(epoch);
            log.warn("Resync for stream {} stopped after {} records; the next replica to start does it again",
                    epoch.stream(), count);
            throw e;
        }
        log.info("Resync for stream {} created at {} done: {} records republished in {} ms", epoch.stream(),
                epoch.createdAt(), count, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }

    /** Reads one page and publishes it, waiting for every acknowledgement; tried again until it goes through. */
    private List<? extends VersionedEvent> publishPage(@Nullable String after, Epoch epoch) throws InterruptedException {
        try {
            return retry.execute(() -> {
                try {
                    List<? extends VersionedEvent> page = source.page(after, PAGE_SIZE);
                    CompletableFuture<?>[] acks = page.stream()
                            .map(state -> publisher.publishAsync(EventEnvelope.resync(state, epoch.createdAt())))
                            .toArray(CompletableFuture[]::new);
                    CompletableFuture.allOf(acks).get(PAGE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                    republished.increment(page.size());
                    return page;
                } catch (ExecutionException | TimeoutException | RuntimeException e) {
                    // Ids are derived from record, version and stream: what went out before the failure is stored once.
                    log.warn("Resync page after {} failed: {}; trying again", after, e.toString());
                    throw e;
                }
            });
        } catch (RetryException stopping) {
            throw new InterruptedException("stopping");
        }
    }

    /** Removes this replica's claim, so that the next one to start resyncs for this stream. */
    private void giveBack(Epoch epoch) {
        Thread.interrupted(); // the driver refuses to talk on an interrupted thread
        try {
            mongo.updateFirst(query(where("_id").is(epoch.stream()).and("createdAt").is(Date.from(epoch.createdAt()))),
                    new Update().unset("createdAt"), COLLECTION);
        } catch (RuntimeException e) {
            log.warn("Could not give back the resync claim for stream {}: {}", epoch.stream(), e.toString());
        } finally {
            Thread.currentThread().interrupt();
        }
    }

    /** The stream creation time this replica last decided on (resynced for, or left to another), for tests. */
    @Nullable Instant decided() {
        return decided;
    }

    @Override
    public synchronized void start() {
        if (worker == null) {
            worker = Executors.newSingleThreadExecutor(Thread.ofPlatform().daemon().name("ticketing-resync").factory());
            submit(); // a stream seen before the start
        }
    }

    @Override
    public synchronized void stop() {
        ExecutorService current = worker;
        worker = null;
        if (current != null) {
            current.shutdownNow();
            try {
                current.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return worker != null;
    }
}
