package dev.ticketing.benchmarks;

import java.lang.management.ManagementFactory;
import java.time.Duration;

/** CPU time of this JVM (every thread, including GC and JIT), where the platform reports it. */
final class CpuClock {

    private static final java.lang.management.OperatingSystemMXBean OS = ManagementFactory.getOperatingSystemMXBean();

    private CpuClock() {
    }

    static long now() {
        return OS instanceof com.sun.management.OperatingSystemMXBean os ? Math.max(0, os.getProcessCpuTime()) : 0;
    }

    static Duration since(long start) {
        return Duration.ofNanos(Math.max(0, now() - start));
    }

    /** The machine's 1-minute load average, to show how busy it was; negative where unknown. */
    static double loadAverage() {
        return OS.getSystemLoadAverage();
    }
}
