package dev.ticketing.benchmarks;

import java.time.Duration;

/**
 * One timed throughput run.
 *
 * @param messages messages the run was asked to move
 * @param elapsed from the first publish (or the consumer's creation) until the last PubAck (or handled message)
 * @param cpu CPU time this JVM used meanwhile, all threads: unlike elapsed time, barely moved by other load on
 *     the machine, so it compares raw and library even when the machine is busy
 * @param incomplete publishes that failed, or messages the server still saw unacknowledged after the run
 */
record Throughput(long messages, Duration elapsed, Duration cpu, long incomplete) {

    double perSecond() {
        return elapsed.isZero() ? 0 : messages * 1e9 / elapsed.toNanos();
    }

    double cpuMicrosPerMessage() {
        return messages == 0 ? 0 : cpu.toNanos() / 1000.0 / messages;
    }
}
