package dev.ticketing.benchmarks;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Every figure of one run and how to print it.
 *
 * @param environment server, client and machine, as one line
 * @param message what one message is made of, as one line
 * @param settings the sizes and consumer settings used, as one line
 * @param bare raw publishes without headers or message id, if measured
 */
record BenchmarkReport(String environment, String message, String settings,
        ThroughputPhase rawPublish, ThroughputPhase libraryPublish, @Nullable ThroughputPhase bare,
        ThroughputPhase rawConsume, ThroughputPhase libraryConsume,
        LatencyResult rawLatency, LatencyResult libraryLatency) {

    static final double TARGET = 0.8;

    double publishRatio() {
        return ratio(libraryPublish, rawPublish);
    }

    double consumeRatio() {
        return ratio(libraryConsume, rawConsume);
    }

    List<ThroughputPhase> throughputPhases() {
        return bare == null
                ? List.of(rawPublish, libraryPublish, rawConsume, libraryConsume)
                : List.of(rawPublish, libraryPublish, bare, rawConsume, libraryConsume);
    }

    boolean meetsTarget() {
        return publishRatio() >= TARGET && consumeRatio() >= TARGET;
    }

    /** How many times the raw CPU time per message the library needs. */
    static double cpuRatio(ThroughputPhase library, ThroughputPhase raw) {
        double rawCost = raw.medianCpuMicrosPerMessage();
        return rawCost == 0 ? 0 : library.medianCpuMicrosPerMessage() / rawCost;
    }

    private static double ratio(ThroughputPhase library, ThroughputPhase raw) {
        return raw.median() == 0 ? 0 : library.median() / raw.median();
    }

    void print(PrintStream out) {
        out.println();
        out.println("== Ticketing event bus vs raw jnats ==");
        out.println("environment  " + environment);
        out.println("message      " + message);
        out.println("settings     " + settings);
        out.println();
        out.printf(Locale.ROOT, "%-40s %10s %12s   %s%n", "throughput", "msg/s", "CPU us/msg", "runs (msg/s)");
        for (ThroughputPhase phase : throughputPhases()) {
            String runs = phase.runs().stream()
                    .map(run -> String.format(Locale.ROOT, "%,.0f", run.perSecond()))
                    .collect(Collectors.joining("  "));
            String incomplete = phase.incomplete() == 0 ? "" : "   (" + phase.incomplete() + " incomplete!)";
            out.printf(Locale.ROOT, "  %-38s %,10.0f %12.1f   %s%s%n", phase.name(), phase.median(),
                    phase.medianCpuMicrosPerMessage(), runs, incomplete);
        }
        out.println();
        out.printf(Locale.ROOT, "%-40s %10s %12s   %s%n", "library / raw (medians)", "throughput", "CPU cost",
                "target: throughput >= " + TARGET);
        out.printf(Locale.ROOT, "  %-38s %10.2f %12.2f   %s%n", "publish", publishRatio(),
                cpuRatio(libraryPublish, rawPublish), verdict(publishRatio()));
        out.printf(Locale.ROOT, "  %-38s %10.2f %12.2f   %s%n", "consume", consumeRatio(),
                cpuRatio(libraryConsume, rawConsume), verdict(consumeRatio()));
        out.println();
        out.printf(Locale.ROOT, "latency publish -> handler, ms, at %d events/s (%d recorded per row)%n",
                libraryLatency.rate(), libraryLatency.expected());
        out.printf(Locale.ROOT, "  %-12s %-44s %-24s %s%n", "", "from due time (coordinated omission corrected)",
                "from actual send", "received");
        out.printf(Locale.ROOT, "  %-12s %8s %8s %8s %8s %9s  %7s %7s %7s%n", "", "p50", "p90", "p99", "p99.9",
                "max", "p50", "p99", "max");
        for (LatencyResult latency : List.of(rawLatency, libraryLatency)) {
            Percentiles due = latency.fromIntended();
            Percentiles send = latency.fromSend();
            out.printf(Locale.ROOT, "  %-12s %8.2f %8.2f %8.2f %8.2f %9.2f  %7.2f %7.2f %7.2f   %d/%d%n",
                    latency.name(), due.p50(), due.p90(), due.p99(), due.p999(), due.max(),
                    send.p50(), send.p99(), send.max(), latency.received(), latency.expected());
        }
        out.println();
    }

    private static String verdict(double ratio) {
        return ratio >= TARGET ? "meets target" : "BELOW target";
    }
}
