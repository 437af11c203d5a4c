package dev.ticketing.benchmarks;

import dev.ticketing.benchmarks.Figures.Latency;
import dev.ticketing.benchmarks.Figures.Percentiles;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.IntFunction;
import java.util.function.Predicate;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/** The ways the benchmarks send: as fast as a window of unacknowledged publishes allows, or on a schedule. */
final class Load {

    private Load() {
    }

    /** Sends request {@code index}; {@code dueNanos} is when the schedule wanted it sent. */
    interface Task {
        void run(int index, long dueNanos) throws Exception;
    }

    /** Publishes as fast as {@code inFlight} unacknowledged publishes allow; the same loop for raw and library. */
    static Figures.Run window(int messages, int inFlight, Duration timeout, IntFunction<CompletableFuture<?>> publish)
            throws InterruptedException {
        Semaphore window = new Semaphore(inFlight);
        AtomicInteger completed = new AtomicInteger();
        AtomicLong failures = new AtomicLong();
        AtomicLong finished = new AtomicLong();
        long cpu = Figures.ownCpuNanos();
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
            throw new IllegalStateException((messages - completed.get()) + " publishes unacknowledged after "
                    + timeout);
        }
        return new Figures.Run(messages, (finished.get() - started) / 1e9, (Figures.ownCpuNanos() - cpu) / 1e9,
                failures.get());
    }

    /**
     * Task {@code first + i} is due at {@code start + i / rate} and runs on a virtual thread of its own, so a slow
     * answer never holds back the next (no coordinated omission); one that throws records no figure.
     */
    static void paced(int first, int count, int rate, Task task, Duration timeout) throws InterruptedException {
        long start = System.nanoTime();
        long interval = 1_000_000_000L / rate;
        try (ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < count; i++) {
                long due = start + i * interval;
                waitUntil(due);
                int index = first + i;
                senders.execute(() -> {
                    try {
                        task.run(index, due);
                    } catch (Exception e) {
                        // The phase counts it as failed.
                    }
                });
            }
            senders.shutdown();
            if (!senders.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                senders.shutdownNow();
                throw new IllegalStateException("Requests still unanswered " + timeout + " after the last was sent");
            }
        }
    }

    static void waitUntil(long nanoTime) {
        long wait;
        while ((wait = nanoTime - System.nanoTime()) > 0) {
            LockSupport.parkNanos(wait);
        }
    }

    /** Polls every {@code pollMillis} until {@code done} or the timeout; returns whether it is done. */
    static boolean await(Duration timeout, long pollMillis, BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(pollMillis);
        }
        return true;
    }

    /**
     * Asks every {@code pollMillis} until the answer is {@code wanted} and returns it; an exception counts as an answer
     * not wanted (a server may be reconnecting meanwhile). Fails with the last answer after the timeout.
     */
    static <T> T await(String what, Duration timeout, long pollMillis, Callable<T> question, Predicate<T> wanted)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String last;
            try {
                T answer = question.call();
                if (answer != null && wanted.test(answer)) {
                    return answer;
                }
                last = String.valueOf(answer);
            } catch (Exception e) {
                last = e.toString();
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("No " + what + " (" + last + ") within " + timeout);
            }
            Thread.sleep(pollMillis);
        }
    }

    /** Counts handled messages and notes the instant the last expected one arrived. */
    static final class Arrivals {

        private final int expected;
        private final AtomicInteger arrived = new AtomicInteger();
        private final CountDownLatch done = new CountDownLatch(1);
        private volatile long last;

        Arrivals(int expected) {
            this.expected = expected;
        }

        void arrived() {
            if (arrived.incrementAndGet() == expected) {
                last = System.nanoTime();
                done.countDown();
            }
        }

        /** Seconds from {@code startNanos} to the last expected arrival; fails if they did not all arrive in time. */
        double await(long startNanos, Duration timeout, String what) throws InterruptedException {
            if (!done.await(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                throw new IllegalStateException(what + ": " + arrived.get() + " of " + expected + " arrived within "
                        + timeout);
            }
            return (last - startNanos) / 1e9;
        }
    }

    /**
     * Publishes event {@code i} at {@code start + i / rate} and records how long it took to reach its handler, from
     * that due time (a stalled publisher is charged for every event it held back: no coordinated omission) and from
     * the send.
     */
    static final class LatencyProbe {

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
            Figures.Run sent = window(total, inFlight, timeout, i -> {
                waitUntil(start + i * intervalNanos);
                sentAt.set(i, System.nanoTime());
                return publish.apply(i);
            });
            await(timeout, 5, () -> received.get() >= total - sent.incomplete());
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
}
