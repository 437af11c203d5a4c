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
 * The same work through {@code common-events}: {@code publishAsync}, and a subscription whose handler only counts.
 * Every bus has its own meter registry, as a service's, so the library's per-message metrics are measured too.
 */
final class LibraryBus implements AutoCloseable {

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
        this.publisher = BusClients.awaitReady(start("bench-publisher"));
    }

    /** Waits until the publisher is connected again with its streams, e.g. after its server went down. */
    void awaitPublisherReady() throws InterruptedException {
        BusClients.awaitReady(publisher);
    }

    String stream() {
        return settings("bench").stream().name();
    }

    Figures.Run publish(int messages, int inFlight, Duration timeout) throws InterruptedException {
        long batch = Workload.newBatch();
        return Load.window(messages, inFlight, timeout, i -> publisher.publishAsync(workload.envelope(batch, i)));
    }

    /** A new service's durable reads the stream; timed from {@code subscribe} (which creates the durable). */
    Figures.Run consume(String service, int expected, Duration timeout) throws Exception {
        Load.Arrivals counter = new Load.Arrivals(expected);
        String durable = null;
        try (NatsEventBus bus = BusClients.awaitReady(start(service))) {
            long cpu = Cpu.ownNanos();
            long started = System.nanoTime();
            Subscription subscription = bus.subscribe(TicketCreated.class, (event, metadata) -> {
                counter.arrived();
                return Verdict.APPLIED;
            });
            durable = subscription.durableName();
            janitor.created(stream(), durable);
            double seconds = counter.await(started, timeout, "library consume " + service);
            double cpuSeconds = (Cpu.ownNanos() - cpu) / 1e9;
            long unsettled = janitor.unsettled(stream(), durable, Duration.ofSeconds(10));
            return new Figures.Run(expected, seconds, cpuSeconds, unsettled);
        } finally {
            if (durable != null) {
                janitor.deleteConsumer(stream(), durable);
            }
        }
    }

    /** Paced publishes from the publisher bus to another service's subscription. */
    Figures.Latency latency(LatencyProbe probe, int inFlight, Duration timeout) throws Exception {
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
            BusClients.awaitReady(bus);
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
        return tuning.apply(EventBusSettings.of(url, service).withInstanceName("benchmark")
                .withConsumer(consumerSettings));
    }

    @Override
    public void close() {
        publisher.close();
    }
}
