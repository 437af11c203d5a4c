package dev.ticketing.benchmarks;

import dev.ticketing.events.bus.EventBusSettings;
import dev.ticketing.events.bus.NatsEventBus;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;

/** The benchmark's own buses on a stack's NATS, each as a service of its own name would have it. */
final class BusClients {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

    private BusClients() {
    }

    static NatsEventBus start(String natsUrl, String serviceName) {
        // A fixed instance name: the library would otherwise look up the host name for every bus.
        return NatsEventBus.start(EventBusSettings.of(natsUrl, serviceName).withInstanceName("benchmark"),
                new SimpleMeterRegistry());
    }

    /** Waits until connected, streams provisioned and every subscription consuming. */
    static NatsEventBus awaitReady(NatsEventBus bus) throws InterruptedException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (!bus.status().ready()) {
            if (System.nanoTime() > deadline) {
                bus.close();
                throw new IllegalStateException("Event bus not ready after " + READY_TIMEOUT + ": " + bus.status());
            }
            Thread.sleep(5);
        }
        return bus;
    }
}
