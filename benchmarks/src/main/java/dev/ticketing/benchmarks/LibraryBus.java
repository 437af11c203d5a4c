package dev.ticketing.benchmarks;

import dev.ticketing.benchmarks.Figures.Latency;
import dev.ticketing.benchmarks.Figures.Run;
import dev.ticketing.events.EventEnvelope;
import dev.ticketing.events.TicketCreated;
import dev.ticketing.events.TicketingEvent;
import dev.ticketing.events.bus.EventBusSettings;
import dev.ticketing.events.bus.NatsEventBus;
import dev.ticketing.events.bus.Verdict;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntFunction;
import java.util.function.UnaryOperator;

/**
 * The benchmarks' work through {@code common-events}: a publisher bus, and new buses that consume, each a service of
 * its own (so a durable of its own) with live meters, as a service's; one {@code ticket.created} event.
 */
final class LibraryBus implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
    static final TicketCreated EVENT = new TicketCreated("ticket-00001234", 0, "Benchmark concert",
            new BigDecimal("42.50"), "user-00005678");

    final String url;
    private final StreamJanitor janitor;
    private final UnaryOperator<EventBusSettings> tuning;
    final NatsEventBus publisher;
    final String stream;

    /** {@code tuning} changes the settings of every bus this one starts, e.g. the consumers' or the stream's. */
    LibraryBus(String url, StreamJanitor janitor, UnaryOperator<EventBusSettings> tuning) throws InterruptedException {
        this.url = url;
        this.janitor = janitor;
        this.tuning = tuning;
        this.publisher = ready(start(url, "bench-publisher", tuning));
        this.stream = tuning.apply(EventBusSettings.of(url, "bench")).stream().name();
    }

    /**
     * A fresh batch of event ids {@code UUID(batch, index)}: unique (JetStream de-duplicates by id) and carrying the
     * index, so a receiver knows when its event was due without touching the payload.
     */
    static long newBatch() {
        return ThreadLocalRandom.current().nextLong();
    }

    static int index(UUID eventId) {
        return (int) eventId.getLeastSignificantBits();
    }

    static IntFunction<EventEnvelope> newEvents() {
        long batch = newBatch();
        return i -> new EventEnvelope(new UUID(batch, i), EVENT, Instant.now());
    }

    static NatsEventBus start(String url, String service, UnaryOperator<EventBusSettings> tuning) {
        // A fixed instance name: the library would otherwise look up the host name for every bus.
        return NatsEventBus.start(tuning.apply(EventBusSettings.of(url, service).withInstanceName("benchmark")),
                new SimpleMeterRegistry());
    }

    /** Waits until connected, streams provisioned and every subscription consuming. */
    static NatsEventBus ready(NatsEventBus bus) throws InterruptedException {
        if (!Load.await(READY_TIMEOUT, 5, () -> bus.status().ready())) {
            bus.close();
            throw new IllegalStateException("Event bus not ready after " + READY_TIMEOUT + ": " + bus.status());
        }
        return bus;
    }

    Run publish(int messages, int inFlight, Duration timeout, IntFunction<EventEnvelope> events)
            throws InterruptedException {
        return Load.window(messages, inFlight, timeout, i -> publisher.publishAsync(events.apply(i)));
    }

    /** A new service's durable reads the stream; timed from {@code subscribe} (which creates the durable). */
    Run consume(Class<? extends TicketingEvent> type, String service, int expected, Duration timeout)
            throws Exception {
        Load.Arrivals counter = new Load.Arrivals(expected);
        String durable = null;
        try (NatsEventBus bus = ready(start(url, service, tuning))) {
            long cpu = Figures.ownCpuNanos();
            long started = System.nanoTime();
            durable = bus.subscribe(type, (event, metadata) -> {
                counter.arrived();
                return Verdict.APPLIED;
            }).durableName();
            double seconds = counter.await(started, timeout, "library consume " + service);
            double cpuSeconds = (Figures.ownCpuNanos() - cpu) / 1e9;
            return new Run(expected, seconds, cpuSeconds, janitor.unsettled(stream, durable));
        } finally {
            janitor.deleteConsumer(stream, durable);
        }
    }

    /** Paced publishes from the publisher bus to another service's subscription. */
    Latency latency(Load.LatencyProbe probe, int inFlight, Duration timeout) throws Exception {
        janitor.purge(stream);
        String durable = null;
        try (NatsEventBus bus = start(url, "bench-latency", tuning)) {
            durable = bus.subscribe(TicketCreated.class, (event, metadata) -> {
                probe.received(index(metadata.eventId()));
                return Verdict.APPLIED;
            }).durableName();
            ready(bus);
            IntFunction<EventEnvelope> events = newEvents();
            return probe.run(i -> publisher.publishAsync(events.apply(i)), inFlight, timeout);
        } finally {
            janitor.deleteConsumer(stream, durable);
        }
    }

    @Override
    public void close() {
        publisher.close();
    }
}
