package dev.ticketing.benchmarks;

import java.util.List;

/**
 * Issue 4, target (b): {@code POST /api/tickets} with publishing on sustains at least 0.7 of its throughput
 * with publishing off, at the same concurrency. Compared as the ratio of the medians.
 */
record RelayCostResult(int clients, double runSeconds, List<LoadRun> on, List<LoadRun> off) {

    static final double TARGET_RATIO = 0.7;

    /** Sustained: each run ends when its last event is on the bus (see {@link LoadRun#sustainedPerSecond()}). */
    double onRate() {
        return BurstResult.median(on.stream().mapToDouble(LoadRun::sustainedPerSecond).sorted().toArray());
    }

    /** Answers per second while the clients ran, ignoring events still waiting to be published. */
    double onAnswerRate() {
        return BurstResult.median(on.stream().mapToDouble(LoadRun::perSecond).sorted().toArray());
    }

    long maxBacklog() {
        return on.stream().mapToLong(LoadRun::backlog).max().orElse(0);
    }

    double maxDrainSeconds() {
        return on.stream().mapToDouble(LoadRun::drainSeconds).max().orElse(0);
    }

    double offRate() {
        return BurstResult.median(off.stream().mapToDouble(LoadRun::perSecond).sorted().toArray());
    }

    double ratio() {
        return offRate() == 0 ? 0 : onRate() / offRate();
    }

    double onCpuMillis() {
        return median(on, LoadRun::cpuMillisPerRequest);
    }

    double offCpuMillis() {
        return median(off, LoadRun::cpuMillisPerRequest);
    }

    /** Median CPU ms per request of one variant's runs, by the given measure (total, or one process). */
    static double median(List<LoadRun> runs, java.util.function.ToDoubleFunction<LoadRun> measure) {
        return BurstResult.median(runs.stream().mapToDouble(measure).sorted().toArray());
    }

    /** Throughput ratio the CPU cost alone predicts when the machine is the limit: off cost / on cost. */
    double cpuRatio() {
        return onCpuMillis() == 0 ? 0 : offCpuMillis() / onCpuMillis();
    }

    boolean meetsTarget() {
        return ratio() >= TARGET_RATIO;
    }

    long failures() {
        return on.stream().mapToLong(LoadRun::failures).sum() + off.stream().mapToLong(LoadRun::failures).sum();
    }
}
