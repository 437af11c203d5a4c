package dev.ticketing.benchmarks;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Collection;

/** CPU time of this JVM (every thread, GC and JIT included) and of other processes, and how busy the machine is. */
final class Cpu {

    private static final OperatingSystemMXBean OS =
            (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private Cpu() {
    }

    static long ownNanos() {
        return Math.max(0, OS.getProcessCpuTime());
    }

    /** Total CPU nanoseconds used so far by these processes (gone ones count as 0). */
    static long nanos(Collection<Long> pids) {
        return pids.stream().mapToLong(pid -> ProcessHandle.of(pid)
                .flatMap(process -> process.info().totalCpuDuration()).map(Duration::toNanos).orElse(0L)).sum();
    }

    /** The machine's 1-minute load average; negative where unknown. */
    static double loadAverage() {
        return OS.getSystemLoadAverage();
    }

    static long totalMemoryMiB() {
        return OS.getTotalMemorySize() >> 20;
    }
}
