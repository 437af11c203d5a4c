package dev.ticketing.benchmarks;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Counts handled messages and notes the instant the last expected one arrived. */
final class ArrivalCounter {

    private final int expected;
    private final AtomicInteger arrived = new AtomicInteger();
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile long lastArrival;

    ArrivalCounter(int expected) {
        this.expected = expected;
    }

    void arrived() {
        if (arrived.incrementAndGet() == expected) {
            lastArrival = System.nanoTime();
            done.countDown();
        }
    }

    /** Time from {@code startedNanos} to the last expected arrival; fails if they did not all arrive in time. */
    Duration await(long startedNanos, Duration timeout, String what) throws InterruptedException {
        if (!done.await(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
            throw new IllegalStateException(what + ": " + arrived.get() + " of " + expected + " messages arrived within " + timeout);
        }
        return Duration.ofNanos(lastArrival - startedNanos);
    }
}
