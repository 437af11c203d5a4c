package dev.ticketing.client;

import dev.ticketing.client.Views.Order;
import dev.ticketing.client.Views.Ticket;
import dev.ticketing.events.EventType;
import dev.ticketing.events.OrderCancelled;
import dev.ticketing.events.OrderCompleted;
import dev.ticketing.events.OrderCreated;
import dev.ticketing.events.TicketCreated;
import dev.ticketing.events.TicketUpdated;
import dev.ticketing.events.TicketingEvent;
import dev.ticketing.events.VersionedEvent;
import dev.ticketing.events.bus.NatsEventBus;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import org.thymeleaf.ITemplateEngine;
import org.thymeleaf.context.Context;

/**
 * Bus to browser: hears ticket and order events on the bus (no durable: each instance hears every event while it is
 * connected), renders each as an htmx out-of-band fragment with the pages' own templates ({@code live.html}) and
 * sends it to the open SSE streams that show that record. Each stream remembers the newest version it has shown
 * per record, so a late, older event never overwrites a newer state.
 */
@Component
final class LiveUpdates implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(LiveUpdates.class);
    /** Browsers reconnect by themselves (htmx's sse extension) when a stream ends. */
    private static final Duration STREAM_TIMEOUT = Duration.ofMinutes(30);
    private static final int MAX_PENDING_FRAMES = 100;
    static final Set<EventType> HEARD = Set.of(EventType.TICKET_CREATED, EventType.TICKET_UPDATED,
            EventType.ORDER_CREATED, EventType.ORDER_CANCELLED, EventType.ORDER_COMPLETED);

    /** What a page shows: every available ticket (the landing page), one ticket, or one order. */
    enum Kind { LANDING, TICKET, ORDER }

    /**
     * One open page. Its frames are written by a sender of its own, a virtual thread, in order: a browser that reads
     * slowly holds up only itself, never the bus's dispatcher thread or the other pages. One that falls
     * {@value #MAX_PENDING_FRAMES} frames behind is dropped (its browser reconnects and gets the current state).
     */
    private record Stream(Kind kind, @Nullable String recordId, @Nullable Instant expiresAt, SseEmitter emitter,
            Map<String, Long> shownVersions, ExecutorService sender) {

        Stream(Kind kind, @Nullable String recordId, @Nullable Instant expiresAt, Map<String, Long> shownVersions) {
            this(kind, recordId, expiresAt, new SseEmitter(STREAM_TIMEOUT.toMillis()), shownVersions,
                    new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(MAX_PENDING_FRAMES),
                            Thread.ofVirtual().name("live-stream").factory()));
        }

        /** True the first time a record's version is newer than what this page shows. */
        boolean newer(String id, long version) {
            boolean[] newer = {false};
            shownVersions.compute(id, (key, shown) -> {
                newer[0] = shown == null || version > shown;
                return newer[0] ? version : shown;
            });
            return newer[0];
        }
    }

    private final Set<Stream> streams = ConcurrentHashMap.newKeySet();
    private final ITemplateEngine templates;
    private final AutoCloseable listening;
    private volatile boolean running;

    LiveUpdates(NatsEventBus bus, ITemplateEngine templates, MeterRegistry meters) {
        this.templates = templates;
        Gauge.builder("ticketing.client.live.streams", streams, Set::size)
                .description("Open server-sent event streams (pages watching live updates)")
                .register(meters);
        this.listening = bus.listen(HEARD, this::on);
    }

    SseEmitter landing() {
        return open(new Stream(Kind.LANDING, null, null, new ConcurrentHashMap<>())).emitter();
    }

    /** A ticket's page rendered at {@code pageVersion}; {@code current} is newer when it changed since. */
    SseEmitter ticket(Ticket current, long pageVersion) {
        Stream stream = open(new Stream(Kind.TICKET, current.id(), null,
                new ConcurrentHashMap<>(Map.of(current.id(), pageVersion))));
        if (stream.newer(current.id(), current.version())) {
            send(stream, render("ticket", Map.of("ticket", current)));
        }
        return stream.emitter();
    }

    /** An order's page (its owner's) rendered at {@code pageVersion}. */
    SseEmitter order(Order current, long pageVersion) {
        Stream stream = open(new Stream(Kind.ORDER, current.id(), current.expiresAt(),
                new ConcurrentHashMap<>(Map.of(current.id(), pageVersion))));
        if (stream.newer(current.id(), current.version())) {
            send(stream, orderFragment(current.status(), current.expiresAt()));
        }
        return stream.emitter();
    }

    private Stream open(Stream stream) {
        SseEmitter emitter = stream.emitter();
        emitter.onCompletion(() -> close(stream));
        emitter.onTimeout(() -> {
            close(stream);
            emitter.complete();
        });
        emitter.onError(error -> close(stream));
        streams.add(stream);
        // Sends the response's headers at once (an early send waits for them), so the browser knows it is connected.
        send(stream, SseEmitter.event().comment("connected"));
        return stream;
    }

    /** Runs on the bus's dispatcher thread: renders once per kind of page, sends to each stream that shows it. */
    void on(TicketingEvent event) {
        if (!(event instanceof VersionedEvent versioned)) {
            return;
        }
        Map<Kind, String> rendered = new ConcurrentHashMap<>();
        for (Stream stream : streams) {
            String fragment = switch (event) {
                case TicketCreated created when stream.kind() == Kind.LANDING -> rendered.computeIfAbsent(Kind.LANDING,
                        kind -> landingRow(new Ticket(created.id(), created.title(), created.price(), created.userId(),
                                created.version(), null)));
                case TicketUpdated updated when stream.kind() == Kind.LANDING -> rendered.computeIfAbsent(Kind.LANDING,
                        kind -> landingRow(ticketOf(updated)));
                case TicketUpdated updated when stream.kind() == Kind.TICKET && updated.id().equals(stream.recordId()) ->
                        rendered.computeIfAbsent(Kind.TICKET, kind -> render("ticket", Map.of("ticket", ticketOf(updated))));
                case OrderCreated created when isOrder(stream, created.id()) -> orderFragment("created", stream.expiresAt());
                case OrderCancelled cancelled when isOrder(stream, cancelled.id()) ->
                        orderFragment("cancelled", stream.expiresAt());
                case OrderCompleted completed when isOrder(stream, completed.id()) ->
                        orderFragment("complete", stream.expiresAt());
                default -> null;
            };
            if (fragment != null && stream.newer(versioned.id(), versioned.version())) {
                send(stream, fragment);
            }
        }
    }

    private static boolean isOrder(Stream stream, String orderId) {
        return stream.kind() == Kind.ORDER && orderId.equals(stream.recordId());
    }

    private static Ticket ticketOf(TicketUpdated updated) {
        return new Ticket(updated.id(), updated.title(), updated.price(), updated.userId(), updated.version(),
                updated.orderId());
    }

    private String landingRow(Ticket ticket) {
        return render("landing", Map.of("ticket", ticket));
    }

    private String orderFragment(String status, @Nullable Instant expiresAt) {
        Instant deadline = expiresAt == null ? Instant.EPOCH : expiresAt;
        return render("order", Map.of("status", Order.statusText(status, deadline, Instant.now()),
                "awaitingPayment", status.equals("created") || status.equals("awaiting:payment")));
    }

    private String render(String fragment, Map<String, Object> variables) {
        Context context = new Context(Locale.US, variables);
        // One line: SSE frames end at a blank line, and every line of data needs its own prefix.
        return templates.process("live", Set.of(fragment), context).replaceAll("\\s*\\R\\s*", " ");
    }

    @Scheduled(fixedRate = 15_000, initialDelay = 15_000)
    void heartbeat() {
        streams.forEach(stream -> send(stream, SseEmitter.event().comment("heartbeat")));
    }

    private void send(Stream stream, String html) {
        send(stream, SseEmitter.event().name("update").data(html));
    }

    /** Queues the frame on the stream's sender; a stream too far behind, or gone, is dropped. */
    private void send(Stream stream, SseEmitter.SseEventBuilder frame) {
        try {
            stream.sender().execute(() -> {
                try {
                    stream.emitter().send(frame);
                } catch (IOException | IllegalStateException e) {
                    drop(stream, e);
                }
            });
        } catch (RejectedExecutionException e) {
            drop(stream, e);
        }
    }

    private void drop(Stream stream, Exception e) {
        log.debug("Live stream closed: {}", e.toString());
        close(stream);
        stream.emitter().completeWithError(e);
    }

    private void close(Stream stream) {
        streams.remove(stream);
        stream.sender().shutdownNow();
    }

    @Override
    public void start() {
        running = true;
    }

    /** Ends every stream before the web server's graceful shutdown, which would otherwise wait for them. */
    @Override
    public void stop() {
        running = false;
        try {
            listening.close();
        } catch (Exception e) {
            log.debug("Closing the bus listener: {}", e.toString());
        }
        streams.forEach(stream -> {
            close(stream);
            stream.emitter().complete();
        });
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
