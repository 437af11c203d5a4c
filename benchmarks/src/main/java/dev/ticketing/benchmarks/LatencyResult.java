package dev.ticketing.benchmarks;

/**
 * End-to-end latency of one paced phase, publish to handler.
 *
 * @param expected events recorded (after the warm-up) that should have arrived
 * @param fromIntended latency from the moment each event was due by the schedule: a stalled publisher is
 *     charged for every event it delayed (corrects coordinated omission)
 * @param fromSend latency from the moment each publish was actually called
 */
record LatencyResult(String name, int rate, long expected, Percentiles fromIntended, Percentiles fromSend) {

    long received() {
        return fromIntended.count();
    }
}
