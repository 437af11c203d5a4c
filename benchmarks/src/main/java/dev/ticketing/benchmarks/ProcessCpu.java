package dev.ticketing.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * CPU time (user + system) of other processes, from {@code /proc/<pid>/stat}, so that a phase can charge the
 * services and nats-server for what they used, not only this JVM. Zero where there is no {@code /proc}.
 */
final class ProcessCpu {

    /** USER_HZ: the kernel reports these fields in clock ticks of 1/100 s on every Linux architecture we run on. */
    private static final long TICKS_PER_SECOND = 100;

    private ProcessCpu() {
    }

    /** Total CPU nanoseconds used so far by these processes (gone ones count as 0). */
    static long nanos(List<Long> pids) {
        long total = 0;
        for (long pid : pids) {
            total += nanos(pid);
        }
        return total;
    }

    static long nanos(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // The command name (field 2) may hold spaces and parentheses: count fields after its last ')'.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime (fields 14, 15)
            return ticks * (1_000_000_000L / TICKS_PER_SECOND);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
