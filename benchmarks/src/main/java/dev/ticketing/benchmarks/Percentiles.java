package dev.ticketing.benchmarks;

import org.HdrHistogram.Histogram;

/** Latency percentiles in milliseconds. */
record Percentiles(long count, double p50, double p90, double p99, double p999, double max) {

    /** From a histogram recorded in microseconds. */
    static Percentiles of(Histogram micros) {
        return new Percentiles(micros.getTotalCount(),
                millis(micros.getValueAtPercentile(50)),
                millis(micros.getValueAtPercentile(90)),
                millis(micros.getValueAtPercentile(99)),
                millis(micros.getValueAtPercentile(99.9)),
                millis(micros.getMaxValue()));
    }

    private static double millis(long micros) {
        return micros / 1000.0;
    }
}
