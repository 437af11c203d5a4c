package dev.ticketing.benchmarks;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Every figure of one {@link ServiceBenchmark} run with its verdict; a phase not run is null.
 *
 * @param environment server, JDK, machine and its load, as one line
 * @param settings what ran and with which sizes, as one line
 */
record ServiceReport(String environment, String settings, @Nullable LagResult events,
        @Nullable RelayCostResult throughput, @Nullable LagResult replica, @Nullable BurstResult burst) {

    boolean meetsTargets() {
        return (events == null || events.meetsTarget()) && (throughput == null || throughput.meetsTarget())
                && (replica == null || replica.meetsTarget()) && (burst == null || burst.meetsTarget());
    }

    void print(PrintStream out) {
        out.println();
        out.println("== Ticketing services on the real stack (issues 4 and 5) ==");
        out.println("environment  " + environment);
        out.println("settings     " + settings);
        out.println();
        out.printf(Locale.ROOT, "%-62s %-46s %s%n", "target", "measured", "verdict");
        if (events != null) {
            out.printf(Locale.ROOT, "%-62s %-46s %s%n", "(a) ticket.created on the bus <= 20 ms (p99) after the 201",
                    lag(events), verdict(events.meetsTarget()));
        }
        if (throughput != null) {
            out.printf(Locale.ROOT, "%-62s %-46s %s%n", "(b) POST /api/tickets, relay on / off >= 0.7",
                    String.format(Locale.ROOT, "%.2f (%,.0f / %,.0f req/s)", throughput.ratio(), throughput.onRate(),
                            throughput.offRate()), verdict(throughput.meetsTarget()));
        }
        if (replica != null) {
            out.printf(Locale.ROOT, "%-62s %-46s %s%n", "(c) ticket.updated applied to the replica <= 50 ms (p99)",
                    lag(replica), verdict(replica.meetsTarget()));
        }
        if (burst != null) {
            out.printf(Locale.ROOT, "%-62s %-46s %s%n", "(d) replica burst rate / bus delivery rate (live) >= 0.5",
                    String.format(Locale.ROOT, "%.3f (%,.0f / %,.0f events/s)", burst.ratio(), burst.replicaRate(),
                            burst.busLiveRate()), verdict(burst.meetsTarget()));
            out.printf(Locale.ROOT, "%-62s %-46s %s%n", "    the same against the bus's replay rate (delivery alone)",
                    String.format(Locale.ROOT, "%.3f (%,.0f / %,.0f events/s)", burst.replayRatio(), burst.replicaRate(),
                            burst.busReplayRate()), "(reported)");
        }
        for (LagResult lag : new LagResult[] {events, replica}) {
            if (lag != null) {
                out.println();
                out.printf(Locale.ROOT, "%s, ms, at %d requests/s: %d recorded, %d failed, %d observed, %d negative"
                        + " (counted as 0)%n", lag.name(), lag.rate(), lag.requests(), lag.failures(), lag.observed(),
                        lag.negatives());
                out.printf(Locale.ROOT, "  %-34s %8s %8s %8s %8s %9s%n", "", "p50", "p90", "p99", "p99.9", "max");
                row(out, "lag after the answer", lag.lag());
                row(out, "HTTP latency from due time", lag.http());
            }
        }
        if (throughput != null) {
            out.println();
            out.printf(Locale.ROOT, "POST /api/tickets through the edge, %d clients back to back, %.1f s per run (medians)%n",
                    throughput.clients(), throughput.runSeconds());
            out.printf(Locale.ROOT, "  %-12s %10s %14s   %s%n", "relay", "req/s", "CPU ms/req", "runs (req/s)");
            out.printf(Locale.ROOT, "  %-12s %,10.0f %14.2f   %s   (answers/s while the clients ran: %,.0f;"
                    + " at most %,d events left to publish at a run's end, on the bus %.2f s later)%n", "on",
                    throughput.onRate(), throughput.onCpuMillis(), runs(throughput, true), throughput.onAnswerRate(),
                    throughput.maxBacklog(), throughput.maxDrainSeconds());
            out.printf(Locale.ROOT, "  %-12s %,10.0f %14.2f   %s%n", "off", throughput.offRate(),
                    throughput.offCpuMillis(), runs(throughput, false));
            out.printf(Locale.ROOT, "  on / off: throughput %.2f, CPU cost per request %.2fx; %d failed requests%n",
                    throughput.ratio(), throughput.cpuRatio() == 0 ? 0 : 1 / throughput.cpuRatio(), throughput.failures());
            out.printf(Locale.ROOT, "  CPU ms per request (medians)   %14s %12s %24s%n", "tickets-service", "nats-server",
                    "this JVM (edge, MongoDB,");
            out.printf(Locale.ROOT, "  %-30s %14s %12s %24s%n", "", "", "", "clients)");
            for (boolean relay : new boolean[] {true, false}) {
                List<LoadRun> runs = relay ? throughput.on() : throughput.off();
                out.printf(Locale.ROOT, "  %-30s %14.3f %12.3f %24.3f%n", "relay " + (relay ? "on" : "off"),
                        RelayCostResult.median(runs, LoadRun::serviceCpuMillisPerRequest),
                        RelayCostResult.median(runs, LoadRun::natsCpuMillisPerRequest),
                        RelayCostResult.median(runs, LoadRun::benchmarkCpuMillisPerRequest));
            }
        }
        if (burst != null) {
            out.println();
            out.printf(Locale.ROOT, "burst: %d tickets x %d versions, %s, %d orders-service replica(s) (medians)%n",
                    burst.tickets(), burst.versions(), burst.interleaved() ? "interleaved" : "ticket by ticket",
                    burst.ordersReplicas());
            out.printf(Locale.ROOT, "  %-4s %12s %10s %20s %12s %13s %15s %10s %22s%n", "run", "replica ev/s",
                    "replica s", "50/90/99 % applied s", "deliv./event", "bus live ev/s", "bus replay ev/s",
                    "publish s", "CPU s orders/nats/JVM");
            int index = 1;
            for (BurstRun run : burst.runs()) {
                out.printf(Locale.ROOT, "  %-4d %,12.0f %10.2f %20s %12.2f %,13.0f %,15.0f %10.2f %22s%n", index++,
                        run.replicaRate(), run.replicaSeconds(),
                        String.format(Locale.ROOT, "%.2f/%.2f/%.2f", run.seconds50(), run.seconds90(), run.seconds99()),
                        run.deliveriesPerEvent(), run.busLiveRate(), run.busReplayRate(), run.publishSeconds(),
                        String.format(Locale.ROOT, "%.1f/%.1f/%.1f", run.ordersCpuSeconds(), run.natsCpuSeconds(),
                                run.benchmarkCpuSeconds()));
            }
        }
        out.println();
    }

    private static String lag(LagResult lag) {
        return String.format(Locale.ROOT, "p50 %.2f / p99 %.2f / max %.2f ms (%d neg.)", lag.lag().p50(), lag.lag().p99(),
                lag.lag().max(), lag.negatives());
    }

    private static void row(PrintStream out, String name, Percentiles p) {
        out.printf(Locale.ROOT, "  %-34s %8.2f %8.2f %8.2f %8.2f %9.2f%n", name, p.p50(), p.p90(), p.p99(), p.p999(),
                p.max());
    }

    private static String runs(RelayCostResult result, boolean relay) {
        return (relay ? result.on() : result.off()).stream()
                .map(run -> String.format(Locale.ROOT, "%,.0f", run.sustainedPerSecond()))
                .collect(Collectors.joining("  "));
    }

    private static String verdict(boolean met) {
        return met ? "MET" : "MISSED";
    }
}
