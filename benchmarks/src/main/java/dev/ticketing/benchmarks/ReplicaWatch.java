package dev.ticketing.benchmarks;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

/**
 * Polls the replica for the versions the benchmark expects, about every millisecond while anything is
 * outstanding (and not at all otherwise, so it costs nothing between requests). An expectation is marked
 * applied at the end of the first poll that shows it: at most one poll period (plus one query) late.
 */
final class ReplicaWatch implements AutoCloseable {

    private static final long POLL_NANOS = 1_000_000;

    /** One update the benchmark waits for: ticket {@code id} at {@code version} or later. */
    static final class Expectation {
        final String id;
        volatile long version;
        volatile long answeredNanos;
        volatile long appliedNanos;

        Expectation(String id, long version) {
            this.id = id;
            this.version = version;
        }

        boolean applied() {
            return appliedNanos != 0;
        }
    }

    private final ReplicaView view;
    private final ConcurrentLinkedQueue<Expectation> outstanding = new ConcurrentLinkedQueue<>();
    private final Thread poller;
    private volatile boolean running = true;
    private volatile long polls;

    ReplicaWatch(ReplicaView view) {
        this.view = view;
        this.poller = Thread.ofPlatform().daemon().name("bench-replica-watch").start(this::poll);
    }

    /** Registers the expectation before the request is sent, so an update applied before the answer is seen too. */
    Expectation expect(String id, long version) {
        Expectation expectation = new Expectation(id, version);
        outstanding.add(expectation);
        return expectation;
    }

    /** Stops waiting for it (its request failed). */
    void forget(Expectation expectation) {
        outstanding.remove(expectation);
    }

    long polls() {
        return polls;
    }

    private void poll() {
        while (running) {
            if (outstanding.isEmpty()) {
                LockSupport.parkNanos(100_000);
                continue;
            }
            Set<String> ids = outstanding.stream().map(e -> e.id).collect(Collectors.toSet());
            Map<String, Long> versions;
            try {
                versions = view.versions(ids);
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                throw e;
            }
            long now = System.nanoTime();
            polls++;
            for (Expectation expectation : outstanding) {
                if (versions.getOrDefault(expectation.id, -1L) >= expectation.version) {
                    expectation.appliedNanos = now;
                    outstanding.remove(expectation);
                }
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        poller.join(5_000);
    }
}
