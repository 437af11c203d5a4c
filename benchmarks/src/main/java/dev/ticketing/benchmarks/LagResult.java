package dev.ticketing.benchmarks;

/**
 * How long after the HTTP answer its effect was seen elsewhere, under light paced load.
 *
 * @param name what was measured
 * @param rate requests per second
 * @param requests recorded requests sent
 * @param failures of those, requests that did not get the expected answer (left out of the figures)
 * @param observed effects seen (should be requests - failures)
 * @param negatives effects seen before the client had the HTTP answer, counted as 0 ms in {@code lag}
 * @param lag effect time minus answer time
 * @param http the request's own latency, from its due time (so coordinated omission is corrected)
 * @param targetP99Millis the target for {@code lag.p99()}
 */
record LagResult(String name, int rate, int requests, int failures, int observed, int negatives, Percentiles lag,
        Percentiles http, double targetP99Millis) {

    boolean meetsTarget() {
        return observed == requests - failures && lag.p99() <= targetP99Millis;
    }
}
