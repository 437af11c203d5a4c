package dev.ticketing.benchmarks;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/** Publishes as fast as a bounded window of unacknowledged publishes allows: the same loop for raw and library. */
final class PublishLoop {

    private PublishLoop() {
    }

    static Throughput run(int messages, int inFlight, Duration timeout, IntFunction<CompletableFuture<?>> publish)
            throws InterruptedException {
        Semaphore window = new Semaphore(inFlight);
        AtomicInteger completed = new AtomicInteger();
        AtomicLong failures = new AtomicLong();
        AtomicLong finished = new AtomicLong();
        long cpu = CpuClock.now();
        long started = System.nanoTime();
        for (int i = 0; i < messages; i++) {
            window.acquire();
            CompletableFuture<?> future;
            try {
                future = publish.apply(i);
            } catch (RuntimeException e) {
                future = CompletableFuture.failedFuture(e);
            }
            future.whenComplete((ack, error) -> {
                if (error != null) {
                    failures.incrementAndGet();
                }
                if (completed.incrementAndGet() == messages) {
                    finished.set(System.nanoTime());
                }
                window.release();
            });
        }
        if (!window.tryAcquire(inFlight, timeout.toNanos(), TimeUnit.NANOSECONDS)) {
            throw new IllegalStateException((messages - completed.get()) + " publishes unacknowledged after " + timeout);
        }
        return new Throughput(messages, Duration.ofNanos(finished.get() - started), CpuClock.since(cpu), failures.get());
    }
}
