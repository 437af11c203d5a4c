package dev.ticketing.benchmarks;

import dev.ticketing.benchmarks.Figures.Latency;
import dev.ticketing.benchmarks.Figures.Percentiles;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.IntFunction;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Publishes event {@code i} at {@code start + i / rate} and records how long it took to reach its handler, from that
 * due time (a stalled publisher is charged for every event it held back: no coordinated omission) and from the send.
 */
final class LatencyProbe {

    private final String name;
    private final int rate;
    private final long intervalNanos;
    private final int warmup;
    private final int total;
    private final AtomicLongArray sentAt;
    private final AtomicIntegerArray seen;
    private final AtomicInteger received = new AtomicInteger();
    // Microseconds; auto-resizing so that a pathological outlier is recorded rather than thrown.
    private final Histogram fromDue = new ConcurrentHistogram(3);
    private final Histogram fromSend = new ConcurrentHistogram(3);
    private volatile long start;

    LatencyProbe(String name, int rate, double warmupSeconds, double recordedSeconds) {
        this.name = name;
        this.rate = rate;
        this.intervalNanos = TimeUnit.SECONDS.toNanos(1) / rate;
        this.warmup = (int) (rate * warmupSeconds);
        this.total = warmup + (int) Math.max(1, rate * recordedSeconds);
        this.sentAt = new AtomicLongArray(total);
        this.seen = new AtomicIntegerArray(total);
    }

    /** At most {@code inFlight} unacknowledged; waits until every event published was received or the timeout. */
    Latency run(IntFunction<CompletableFuture<?>> publish, int inFlight, Duration timeout)
            throws InterruptedException {
        start = System.nanoTime();
        Figures.Run sent = Load.window(total, inFlight, timeout, i -> {
            Load.waitUntil(start + i * intervalNanos);
            sentAt.set(i, System.nanoTime());
            return publish.apply(i);
        });
        Load.await(timeout, 5, () -> received.get() >= total - sent.incomplete());
        return new Latency(name, rate, total - warmup, Percentiles.of(fromDue), Percentiles.of(fromSend));
    }

    /** Called by the handler of event {@code index}; duplicates (redeliveries) are not counted twice. */
    void received(int index) {
        long now = System.nanoTime();
        if (index < 0 || index >= total || !seen.compareAndSet(index, 0, 1)) {
            return;
        }
        if (index >= warmup) {
            fromDue.recordValue(Math.max(0, now - (start + index * intervalNanos)) / 1000);
            fromSend.recordValue(Math.max(0, now - sentAt.get(index)) / 1000);
        }
        received.incrementAndGet();
    }
}
