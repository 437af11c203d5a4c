package dev.ticketing.events.bus;

import dev.ticketing.events.EventCodec;
import dev.ticketing.events.EventEnvelope;
import dev.ticketing.events.EventHeaders;
import dev.ticketing.events.EventType;
import dev.ticketing.events.TicketingEvent;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.Dispatcher;
import io.nats.client.ErrorListener;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamOptions;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.PublishOptions;
import io.nats.client.api.PublishAck;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import io.nats.client.support.Status;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.retry.RetryException;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;

/**
 * The event bus over one NATS connection: publishes events to JetStream (waiting until the server has stored
 * them) and runs durable subscriptions.
 *
 * <p>Creating it never blocks and never fails because NATS is away: the connection is made in the
 * background and retried forever; each time it is (re)established the streams are provisioned and every
 * subscription is attached. Until then {@link #status()} says why the bus is not ready and publishes fail
 * fast with {@link PublishFailed}, which the outbox turns into a later retry.
 *
 * <p>The server may also lose what was provisioned without the connection noticing (restarted with an empty
 * store between two pings, a stream or durable deleted by hand): every {@code consumer-check-interval}, and at
 * once when jnats reports missed heartbeats or a pull error, the bus checks that the stream and every durable
 * still exist and creates again whatever is gone. A subscription that stays without its durable longer than
 * {@code stall-timeout} makes the bus not ready and is logged as an error. Each check also notes when the event
 * stream was created: a new creation time means the history of the old stream is gone, and
 * {@link #onStreamCreated listeners} hear of it (a service's resync, for one).
 */
public final class NatsEventBus implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(NatsEventBus.class);

    private final EventBusSettings settings;
    private final EventCodec codec = EventCodec.shared();
    private final BusMetrics metrics;
    private final StreamProvisioner provisioner;
    private final AtomicReference<@Nullable Connection> connection = new AtomicReference<>();
    private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    /** Provisions, attaches and checks, one task at a time. */
    private final ScheduledExecutorService attacher = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("ticketing-bus-attach").factory());
    private final RetryTemplate attachRetry;
    private volatile @Nullable JetStream jetStream;
    private volatile boolean provisioned;
    /** When the event stream was created, as last seen on the server; only the attaching thread changes it. */
    private volatile @Nullable Instant streamCreatedAt;
    private final List<BiConsumer<String, Instant>> streamListeners = new CopyOnWriteArrayList<>();
    private volatile @Nullable String lastError;
    private volatile boolean closed;

    private NatsEventBus(EventBusSettings settings, MeterRegistry meterRegistry) {
        this.settings = settings;
        this.metrics = new BusMetrics(meterRegistry);
        this.provisioner = new StreamProvisioner(settings);
        this.attachRetry = new RetryTemplate(RetryPolicy.builder()
                .maxRetries(Long.MAX_VALUE)
                .delay(Duration.ofMillis(100))
                .multiplier(2)
                .maxDelay(Duration.ofSeconds(5))
                .predicate(error -> !closed)
                .build());
    }

    /** Starts connecting in the background and returns at once. */
    public static NatsEventBus start(EventBusSettings settings, MeterRegistry meterRegistry) {
        NatsEventBus bus = new NatsEventBus(settings, meterRegistry);
        bus.connect();
        long interval = settings.consumerCheckInterval().toMillis();
        bus.attacher.scheduleWithFixedDelay(bus::checkSubscriptions, interval, interval, TimeUnit.MILLISECONDS);
        return bus;
    }

    private void connect() {
        Options options = Options.builder()
                .servers(settings.servers().toArray(String[]::new))
                .connectionName(connectionName())
                .connectionTimeout(settings.connectTimeout())
                .maxReconnects(-1)
                .reconnectWait(settings.reconnectWait())
                .pingInterval(settings.pingInterval())
                .maxPingsOut(2)
                .connectionListener(this::onConnectionEvent)
                .errorListener(new LoggingErrorListener(this::checkSoon))
                .build();
        try {
            Nats.connectAsynchronously(options, true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while starting the NATS connection", e);
        }
    }

    String connectionName() {
        String instance = settings.instanceName();
        if (instance.isBlank()) {
            try {
                instance = InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                instance = "unknown-host";
            }
        }
        return settings.serviceName() + ":" + instance;
    }

    private void onConnectionEvent(Connection conn, ConnectionListener.Events event) {
        connection.compareAndSet(null, conn);
        switch (event) {
            case CONNECTED, RECONNECTED, RESUBSCRIBED -> {
                log.info("NATS {} ({} as {})", event.getEvent(), conn.getConnectedUrl(), connectionName());
                attacher.execute(this::attachListeners);
                attacher.execute(this::attachAll);
            }
            case DISCONNECTED -> {
                // The server may come back with a fresh store: check the streams again on reconnect.
                provisioned = false;
                subscriptions.forEach(subscription -> subscription.notConsuming("NATS disconnected"));
                log.warn("NATS disconnected from {}; reconnecting every {}", settings.url(),
                        settings.reconnectWait());
            }
            case CLOSED -> log.info("NATS connection closed");
            default -> log.debug("NATS {}", event.getEvent());
        }
    }

    /** Provisions the streams and attaches every subscription not yet attached, retrying until it works. */
    @SuppressWarnings("NullAway") // RetryTemplate's result may be null; NullAway cannot read that generic
    private void attachAll() {
        try {
            attachRetry.execute(() -> {
                try {
                    ensureAll(requireConnected());
                } catch (IOException | JetStreamApiException | RuntimeException e) {
                    noteFailure(e);
                    throw e;
                }
                return null;
            });
        } catch (RetryException e) {
            if (!closed) {
                lastError = e.getCause() == null ? e.getMessage() : e.getCause().getMessage();
                log.error("Gave up attaching to JetStream", e);
            }
        }
    }

    /** The periodic check: what the server lost is created again; a long stall is reported. */
    private void checkSubscriptions() {
        if (closed) {
            return;
        }
        Connection conn = connection.get();
        if (conn != null && conn.getStatus() == Connection.Status.CONNECTED) {
            try {
                ensureAll(conn);
            } catch (IOException | JetStreamApiException | RuntimeException e) {
                noteFailure(e);
            }
        }
        subscriptions.forEach(subscription -> subscription.reportStall(settings.stallTimeout()));
    }

    /** Keeps the reason for health and logs it once as an error (not on every retry while it lasts). */
    private void noteFailure(Exception e) {
        String reason = e.getMessage() == null ? e.toString() : e.getMessage();
        if (!reason.equals(lastError) && !(e instanceof IllegalStateException && !closed && !isConnected())) {
            log.error("Cannot attach to JetStream at {} (retrying): {}", settings.url(), reason);
        }
        lastError = reason;
    }

    private boolean isConnected() {
        Connection conn = connection.get();
        return conn != null && conn.getStatus() == Connection.Status.CONNECTED;
    }

    /** Checks at once, on the attaching thread (jnats saw missed heartbeats or a pull error). */
    private void checkSoon() {
        if (!closed) {
            attacher.execute(this::checkSubscriptions);
        }
    }

    /** Makes sure the streams exist, then that every subscription's durable exists and is consumed. */
    private void ensureAll(Connection conn) throws IOException, JetStreamApiException {
        if (jetStream == null) {
            jetStream = conn.jetStream(JetStreamOptions.builder().requestTimeout(settings.publishTimeout()).build());
        }
        JetStreamManagement jsm = conn.jetStreamManagement();
        Instant created = provisioned ? provisioner.createdAt(jsm) : null;
        if (created == null) {
            if (provisioned) {
                log.warn("Stream {} is gone from the server; creating it again", settings.stream().name());
            }
            created = provisioner.provision(jsm);
            provisioned = true;
        }
        noteStreamCreated(created);
        for (Subscription subscription : subscriptions) {
            subscription.ensureConsuming(conn);
        }
        lastError = null;
    }

    /** Tells the listeners when the stream is first seen, or seen with another creation time: it was made again. */
    private void noteStreamCreated(Instant created) {
        Instant previous = streamCreatedAt;
        if (created.equals(previous)) {
            return;
        }
        streamCreatedAt = created;
        if (previous != null) {
            log.warn("Stream {} was created again at {} (before: {}); events it held and had not delivered are gone",
                    settings.stream().name(), created, previous);
        }
        streamListeners.forEach(listener -> tell(listener, created));
    }

    private void tell(BiConsumer<String, Instant> listener, Instant created) {
        try {
            listener.accept(settings.stream().name(), created);
        } catch (RuntimeException e) {
            log.warn("A listener of stream {}'s creation failed", settings.stream().name(), e);
        }
    }

    /**
     * Calls {@code listener} with the event stream's name and creation time when the bus first sees the stream (at
     * once if it has already), and again whenever that time changes: the stream was created anew, without the history
     * of the one before (a single NATS server that lost its store). The listener runs on the bus's checking thread:
     * it must return quickly.
     */
    public void onStreamCreated(BiConsumer<String, Instant> listener) {
        try {
            attacher.execute(() -> {
                streamListeners.add(listener);
                Instant known = streamCreatedAt;
                if (known != null) {
                    tell(listener, known);
                }
            });
        } catch (RejectedExecutionException e) {
            throw new IllegalStateException("The event bus is closed", e);
        }
    }

    private Connection requireConnected() {
        Connection conn = connection.get();
        if (conn == null || conn.getStatus() != Connection.Status.CONNECTED) {
            throw new IllegalStateException("NATS is not connected (" + settings.url() + ")");
        }
        return conn;
    }

    /**
     * Publishes and waits for JetStream's acknowledgement. The event id is the message id, so publishing the same
     * envelope again within the duplicate window stores it once.
     *
     * @throws PublishFailed when the server did not confirm that it stored the event
     */
    public PublishReceipt publish(EventEnvelope envelope) {
        return publish(envelope.type(), envelope.eventId(), envelope.occurredAt(), envelope.resync(),
                codec.encode(envelope.payload()));
    }

    /**
     * Publishes an event already encoded as its JSON payload (what the outbox stored), byte for byte, like
     * {@link #publish(EventEnvelope)}.
     */
    public PublishReceipt publishEncoded(EventType type, UUID eventId, Instant occurredAt, byte[] json) {
        return publish(type, eventId, occurredAt, false, json);
    }

    private PublishReceipt publish(EventType type, UUID eventId, Instant occurredAt, boolean resync, byte[] json) {
        try {
            PublishAck ack = jetStreamOrFail(type, eventId)
                    .publish(message(type, eventId, occurredAt, resync, json), publishOptions(eventId));
            return toReceipt(type, ack);
        } catch (IOException | JetStreamApiException | RuntimeException e) {
            metrics.publishFailed(type);
            throw e instanceof PublishFailed failed ? failed : new PublishFailed(type, eventId, e);
        }
    }

    /** Publishes a new event with a fresh id. */
    public PublishReceipt publish(TicketingEvent event) {
        return publish(EventEnvelope.of(event));
    }

    /** Publishes without blocking; the future completes with the server's acknowledgement. */
    public CompletableFuture<PublishReceipt> publishAsync(EventEnvelope envelope) {
        EventType type = envelope.type();
        UUID eventId = envelope.eventId();
        try {
            NatsMessage message = message(type, eventId, envelope.occurredAt(), envelope.resync(),
                    codec.encode(envelope.payload()));
            return jetStreamOrFail(type, eventId).publishAsync(message, publishOptions(eventId))
                    .handle((ack, error) -> {
                        if (error != null) {
                            metrics.publishFailed(type);
                            throw new PublishFailed(type, eventId, error);
                        }
                        return toReceipt(type, ack);
                    });
        } catch (RuntimeException e) {
            metrics.publishFailed(type);
            return CompletableFuture.failedFuture(e instanceof PublishFailed ? e : new PublishFailed(type, eventId, e));
        }
    }

    private JetStream jetStreamOrFail(EventType type, UUID eventId) {
        JetStream js = jetStream;
        Connection conn = connection.get();
        // Fail fast while disconnected instead of parking the publish in the reconnect buffer.
        if (js == null || conn == null || conn.getStatus() != Connection.Status.CONNECTED) {
            throw new PublishFailed(type, eventId, new IOException("NATS is not connected (" + settings.url() + ")"));
        }
        return js;
    }

    private static NatsMessage message(EventType type, UUID eventId, Instant occurredAt, boolean resync, byte[] json) {
        Headers headers = new Headers()
                .put(EventHeaders.EVENT_ID, eventId.toString())
                .put(EventHeaders.EVENT_TYPE, type.subject())
                .put(EventHeaders.SCHEMA_VERSION, Integer.toString(EventType.SCHEMA_VERSION))
                .put(EventHeaders.OCCURRED_AT, occurredAt.toString());
        if (resync) {
            headers.put(EventHeaders.RESYNC, "true");
        }
        return NatsMessage.builder().subject(type.subject()).headers(headers).data(json).build();
    }

    private PublishOptions publishOptions(UUID eventId) {
        return PublishOptions.builder()
                .messageId(eventId.toString())
                .expectedStream(settings.stream().name())
                .build();
    }

    private PublishReceipt toReceipt(EventType type, PublishAck ack) {
        metrics.published(type);
        return new PublishReceipt(ack.getStream(), ack.getSeqno(), ack.isDuplicate());
    }

    /**
     * Attaches {@code handler} to this service's durable consumer for the event's subject: events one at a time, on
     * up to {@code concurrency} threads. Returns at once; the consumer starts as soon as JetStream is reachable.
     */
    public <E extends TicketingEvent> Subscription subscribe(Class<E> eventClass, EventHandler<? super E> handler) {
        return attach(eventClass, Subscription.oneByOne(handler), 1, Duration.ZERO);
    }

    /**
     * Attaches a handler that gets the events waiting for it all at once (see {@link BatchEventHandler}) to this
     * service's durable consumer for the event's subject. Returns at once, like {@link #subscribe}.
     */
    public <E extends TicketingEvent> Subscription subscribeBatches(Class<E> eventClass, BatchEventHandler<E> handler) {
        return attach(eventClass, handler, settings.consumer().batchSize(), settings.consumer().notYetHold());
    }

    private Subscription attach(Class<? extends TicketingEvent> eventClass,
            BatchEventHandler<? extends TicketingEvent> handler, int batchLimit, Duration hold) {
        if (closed) {
            throw new IllegalStateException("The event bus is closed");
        }
        EventType type = EventType.of(eventClass);
        if (subscriptions.stream().anyMatch(existing -> existing.type() == type)) {
            throw new IllegalStateException("Service " + settings.serviceName() + " already has a handler for "
                    + type.subject() + ": one handler per subject and service");
        }
        AtomicReference<Subscription> self = new AtomicReference<>();
        AtomicReference<@Nullable Meter> gauge = new AtomicReference<>();
        Subscription subscription = new Subscription(settings, eventClass, handler, batchLimit, hold, codec,
                () -> jetStream, metrics, () -> {
                    subscriptions.remove(self.get());
                    metrics.remove(gauge.get());
                });
        self.set(subscription);
        gauge.set(metrics.consuming(subscription));
        subscriptions.add(subscription);
        attacher.execute(this::attachAll);
        return subscription;
    }

    /**
     * Hears every event of {@code types} as it is published, in this process only: a plain NATS subscription, no
     * durable, nothing acknowledged or replayed, so what is published while the connection is down is missed. For
     * views that show live state (a web page), never for work that must happen. The listener runs on the
     * connection's dispatcher thread: it must return quickly. Close the result to stop.
     */
    public AutoCloseable listen(Set<EventType> types, Consumer<TicketingEvent> listener) {
        if (closed) {
            throw new IllegalStateException("The event bus is closed");
        }
        Listener added = new Listener(Set.copyOf(types), listener, new AtomicReference<>());
        listeners.add(added);
        attacher.execute(this::attachListeners);
        return () -> {
            listeners.remove(added);
            Dispatcher dispatcher = added.dispatcher().getAndSet(null);
            Connection conn = connection.get();
            if (dispatcher != null && conn != null) {
                conn.closeDispatcher(dispatcher);
            }
        };
    }

    /** Core subscriptions survive reconnects by themselves: each listener is subscribed once per connection. */
    private void attachListeners() {
        Connection conn = connection.get();
        if (conn == null || closed) {
            return;
        }
        for (Listener each : listeners) {
            if (each.dispatcher().get() != null) {
                continue;
            }
            Dispatcher dispatcher = conn.createDispatcher(message -> {
                try {
                    EventType type = EventType.ofSubject(message.getSubject());
                    each.listener().accept(codec.decode(message.getData(), type.eventClass()));
                } catch (RuntimeException e) {
                    log.warn("A listener of {} failed", message.getSubject(), e);
                }
            });
            each.types().forEach(type -> dispatcher.subscribe(type.subject()));
            each.dispatcher().set(dispatcher);
        }
    }

    private record Listener(Set<EventType> types, Consumer<TicketingEvent> listener,
            AtomicReference<@Nullable Dispatcher> dispatcher) {
    }

    /**
     * Whether the bus can publish and every subscription is consuming. A subscription that lost its durable a
     * moment ago (and is being re-attached) counts as consuming until {@code stall-timeout} has passed.
     */
    public BusStatus status() {
        Connection conn = connection.get();
        Connection.Status connectionStatus = conn == null ? Connection.Status.DISCONNECTED : conn.getStatus();
        int active = 0;
        List<String> stalled = new ArrayList<>();
        for (Subscription subscription : subscriptions) {
            if (subscription.isActive()) {
                active++;
            } else if (subscription.stalledLongerThan(settings.stallTimeout())) {
                stalled.add(subscription.durableName() + ": " + subscription.stalledBecause());
            }
        }
        return new BusStatus(settings.url(), connectionStatus, provisioned, active, subscriptions.size(),
                List.copyOf(stalled), lastError);
    }

    /** Round trip to JetStream's API: proves the server answers, not only that a socket is open. */
    public boolean jetStreamResponds() {
        Connection conn = connection.get();
        if (conn == null || conn.getStatus() != Connection.Status.CONNECTED) {
            return false;
        }
        try {
            conn.jetStreamManagement().getAccountStatistics();
            return true;
        } catch (IOException | JetStreamApiException | RuntimeException e) {
            return false;
        }
    }

    EventBusSettings settings() {
        return settings;
    }

    /**
     * Stops every subscription gracefully (handlers in flight finish and settle), then drains the
     * connection so that pending acks and publishes reach the server. Durable consumers stay on the server.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        List.copyOf(subscriptions).forEach(Subscription::close);
        attacher.shutdownNow();
        Connection conn = connection.get();
        if (conn != null) {
            try {
                if (conn.getStatus() == Connection.Status.CONNECTED) {
                    conn.drain(settings.shutdownTimeout()).get();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                log.warn("Draining the NATS connection did not complete: {}", e.toString());
            }
            try {
                conn.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** JetStream's acknowledgement of a publish: where the event was stored, or that it already was. */
    public record PublishReceipt(String stream, long sequence, boolean duplicate) {
    }

    /** Snapshot of the bus for health checks. */
    public record BusStatus(String url, Connection.Status connection, boolean streamsProvisioned,
            int activeSubscriptions, int subscriptions, List<String> stalled, @Nullable String lastError) {

        public boolean ready() {
            return connection == Connection.Status.CONNECTED && streamsProvisioned && stalled.isEmpty();
        }
    }

    private static final class LoggingErrorListener implements ErrorListener {

        private final Runnable checkSubscriptions;

        LoggingErrorListener(Runnable checkSubscriptions) {
            this.checkSubscriptions = checkSubscriptions;
        }

        @Override
        public void heartbeatAlarm(Connection conn, JetStreamSubscription sub, long lastStreamSequence,
                long lastConsumerSequence) {
            log.warn("NATS: heartbeats missed on {}; checking the durable consumers", sub.getConsumerName());
            checkSubscriptions.run();
        }

        @Override
        public void pullStatusError(Connection conn, JetStreamSubscription sub, Status status) {
            // 409 "Consumer Deleted" and the like: the durable may be gone.
            log.warn("NATS: pull error {} {} on {}; checking the durable consumers", status.getCode(),
                    status.getMessage(), sub.getConsumerName());
            checkSubscriptions.run();
        }

        @Override
        public void errorOccurred(Connection conn, String error) {
            log.warn("NATS error: {}", error);
        }

        @Override
        public void exceptionOccurred(Connection conn, Exception exp) {
            // Connection refusals repeat every reconnect attempt while NATS is away; the DISCONNECTED event says it once.
            log.debug("NATS exception: {}", exp.toString());
        }
    }
}
