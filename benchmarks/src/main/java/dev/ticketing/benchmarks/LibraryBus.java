package dev.ticketing.benchmarks;

import dev.ticketing.events.TicketCreated;
import dev.ticketing.events.bus.EventBusSettings;
import dev.ticketing.events.bus.NatsEventBus;
import dev.ticketing.events.bus.Subscription;
import dev.ticketing.events.bus.Verdict;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.function.UnaryOperator;

/**
 * The same work through {@code common-events}: events published with {@code publishAsync}, consumed by a
 * subscription whose handler does nothing but count. Every bus gets its own meter registry, as a service
 * would, so the metrics the library keeps per message are part of what is measured.
 */
final class LibraryBus implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(20);

    private final String url;
    private final EventBusSettings.Consumer consumerSettings;
    private final Workload workload;
    private final StreamJanitor janitor;
    private final UnaryOperator<EventBusSettings> tuning;
    private final NatsEventBus publisher;

    LibraryBus(String url, EventBusSettings.Consumer consumerSettings, Workload workload, StreamJanitor janitor)
            throws InterruptedException {
        this(url, consumerSettings, workload, janitor, UnaryOperator.identity());
    }

    /** {@code tuning} changes the settings of every bus this one starts, e.g. the stream's replicas. */
    LibraryBus(String url, EventBusSettings.Consumer consumerSettings, Workload workload, StreamJanitor janitor,
            UnaryOperator<EventBusSettings> tuning) throws InterruptedException {
        this.url = url;
        this.consumerSettings = consumerSettings;
        this.workload = workload;
        this.janitor = janitor;
        this.tuning = tuning;
        this.publisher = awaitReady(start("bench-publisher"));
    }

    /** Waits until the publisher is connected again with its streams, e.g. after its server went down. */
    void awaitPublisherReady() throws InterruptedException {
        awaitReady(publisher);
    }

    String stream() {
        return settings("bench").stream().name();
    }

    Throughput publish(int messages, int inFlight, Duration timeout) throws InterruptedException {
        long batch = Workload.newBatch();
        return PublishLoop.run(messages, inFlight, timeout, i -> publisher.publishAsync(workload.envelope(batch, i)));
    }

    /**
     * A new service's durable reads the whole stream; timed from {@code subscribe} (which creates the durable,
     * like the raw phase) to the last event handled.
     */
    Throughput consume(String service, int expected, Duration timeout) throws Exception {
        ArrivalCounter counter = new ArrivalCounter(expected);
        String durable = null;
        try (NatsEventBus bus = awaitReady(start(service))) {
            long cpu = CpuClock.now();
            long started = System.nanoTime();
            Subscription subscription = bus.subscribe(TicketCreated.class, (event, metadata) -> {
                counter.arrived();
                return Verdict.APPLIED;
            });
            durable = subscription.durableName();
            janitor.created(stream(), durable);
            Duration elapsed = counter.await(started, timeout, "library consume " + service);
            Duration cpuUsed = CpuClock.since(cpu);
            long unsettled = janitor.unsettled(stream(), durable, Duration.ofSeconds(10));
            return new Throughput(expected, elapsed, cpuUsed, unsettled);
        } finally {
            if (durable != null) {
                janitor.deleteConsumer(stream(), durable);
            }
        }
    }

    /** Paced publishes from the publisher bus to another service's subscription. */
    LatencyResult latency(LatencyProbe probe, int inFlight, Duration timeout) throws Exception {
        janitor.purge(stream());
        String durable = null;
        try (NatsEventBus bus = start("bench-latency")) {
            Subscription subscription = bus.subscribe(TicketCreated.class,
                    (event, metadata) -> {
                        probe.received(Workload.index(metadata.eventId()));
                        return Verdict.APPLIED;
                    });
            durable = subscription.durableName();
            janitor.created(stream(), durable);
            awaitReady(bus);
            long batch = Workload.newBatch();
            probe.send(i -> publisher.publishAsync(workload.envelope(batch, i)), inFlight, timeout);
            probe.awaitReceived(probe.total() - probe.publishFailures(), timeout);
            return probe.result();
        } finally {
            if (durable != null) {
                janitor.deleteConsumer(stream(), durable);
            }
        }
    }

    private NatsEventBus start(String service) {
        return NatsEventBus.start(settings(service), new SimpleMeterRegistry());
    }

    private EventBusSettings settings(String service) {
        // A fixed instance name: the library would otherwise look up the host name for every bus.
        return tuning.apply(EventBusSettings.of(url, service).withInstanceName("benchmark").withConsumer(consumerSettings));
    }

    private static NatsEventBus awaitReady(NatsEventBus bus) throws InterruptedException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (!bus.status().ready()) {
            if (System.nanoTime() > deadline) {
                bus.close();
                throw new IllegalStateException("Event bus not ready after " + READY_TIMEOUT + ": " + bus.status());
            }
            Thread.sleep(10);
        }
        return bus;
    }

    @Override
    public void close() {
        publisher.close();
    }
}
