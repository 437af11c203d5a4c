package dev.ticketing.benchmarks;

import org.HdrHistogram.Histogram;

/** Collects answer-to-effect lags and request latencies (microseconds) from many sending threads. */
final class LagRecorder {

    private final Histogram lag = new Histogram(3);
    private final Histogram http = new Histogram(3);
    private int negatives;
    private int observed;

    synchronized void http(long dueNanos, long answeredNanos) {
        http.recordValue(Math.max(0, (answeredNanos - dueNanos) / 1000));
    }

    /** An effect seen at {@code effectNanos} for an answer received at {@code answeredNanos}. */
    synchronized void lag(long answeredNanos, long effectNanos) {
        long micros = (effectNanos - answeredNanos) / 1000;
        if (micros < 0) {
            negatives++;
        }
        lag.recordValue(Math.max(0, micros));
        observed++;
    }

    synchronized LagResult result(String name, int rate, int requests, int failures, double targetP99Millis) {
        return new LagResult(name, rate, requests, failures, observed, negatives, Percentiles.of(lag),
                Percentiles.of(http), targetP99Millis);
    }
}
