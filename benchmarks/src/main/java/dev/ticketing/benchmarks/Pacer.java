package dev.ticketing.benchmarks;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Light load on a schedule: task {@code i} is due at {@code start + i / rate} and runs on a virtual thread of
 * its own, so a slow answer never holds back the next request (no coordinated omission: the load stays what
 * the schedule says however the system behaves, and latencies can be taken from the due time).
 */
final class Pacer {

    @FunctionalInterface
    interface Task {
        /** Sends request {@code index}; {@code dueNanos} is when the schedule wanted it sent. */
        void run(int index, long dueNanos) throws Exception;
    }

    private Pacer() {
    }

    /** Runs {@code count} tasks from index {@code first} at {@code rate} per second; returns how many threw. */
    static int run(int first, int count, int rate, Task task, Duration timeout) throws InterruptedException {
        AtomicInteger failures = new AtomicInteger();
        long start = System.nanoTime();
        long interval = 1_000_000_000L / rate;
        ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor();
        try {
            for (int i = 0; i < count; i++) {
                long due = start + i * interval;
                long wait;
                while ((wait = due - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(wait);
                }
                int index = first + i;
                senders.execute(() -> {
                    try {
                        task.run(index, due);
                    } catch (Exception e) {
                        failures.incrementAndGet();
                    }
                });
            }
        } finally {
            senders.shutdown();
        }
        if (!senders.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            senders.shutdownNow();
            throw new IllegalStateException("Requests still unanswered " + timeout + " after the last was sent");
        }
        return failures.get();
    }
}
