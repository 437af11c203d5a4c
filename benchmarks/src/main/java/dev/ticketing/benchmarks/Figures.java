package dev.ticketing.benchmarks;

import com.sun.management.OperatingSystemMXBean;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;
import org.HdrHistogram.Histogram;

/** The figures the three programs share, CPU time, and the one way they print them: a {@link Table}. */
final class Figures {

    private static final OperatingSystemMXBean OS =
            (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private Figures() {
    }

    /** Latency percentiles in milliseconds. */
    record Percentiles(long count, double p50, double p90, double p99, double p999, double max) {

        /** From a histogram recorded in microseconds. */
        static Percentiles of(Histogram micros) {
            return new Percentiles(micros.getTotalCount(), micros.getValueAtPercentile(50) / 1000.0,
                    micros.getValueAtPercentile(90) / 1000.0, micros.getValueAtPercentile(99) / 1000.0,
                    micros.getValueAtPercentile(99.9) / 1000.0, micros.getMaxValue() / 1000.0);
        }

        List<String> cells() {
            return List.of(f("%.2f", p50), f("%.2f", p90), f("%.2f", p99), f("%.2f", p999), f("%.2f", max));
        }
    }

    /**
     * One timed throughput run: {@code seconds} to the last PubAck (or handled message), this JVM's CPU meanwhile;
     * {@code incomplete}: publishes that failed, or messages the server still saw unacknowledged after the run.
     */
    record Run(long messages, double seconds, double cpuSeconds, long incomplete) {

        double perSecond() {
            return seconds == 0 ? 0 : messages / seconds;
        }

        double cpuMicrosPerMessage() {
            return messages == 0 ? 0 : cpuSeconds * 1e6 / messages;
        }
    }

    /** The timed runs of one phase; medians stand for the phase since single runs swing on 2 cores. */
    record Runs(String name, List<Run> runs) {

        double median() {
            return Figures.median(runs, Run::perSecond);
        }

        double medianCpuMicros() {
            return Figures.median(runs, Run::cpuMicrosPerMessage);
        }

        long incomplete() {
            return runs.stream().mapToLong(Run::incomplete).sum();
        }

        /** Each run's rate, and how many messages were incomplete if any. */
        String rates() {
            return runs.stream().map(run -> f("%,.0f", run.perSecond())).collect(Collectors.joining("  "))
                    + (incomplete() == 0 ? "" : "   (" + incomplete() + " incomplete!)");
        }
    }

    /** Publish-to-handler latency of one paced phase, from each event's due time and from its actual send. */
    record Latency(String name, int rate, long expected, Percentiles fromDue, Percentiles fromSend) {

        long received() {
            return fromDue.count();
        }

        /** One table of these latencies: from the due time, then from the actual send. */
        static void print(PrintStream out, List<Latency> rows) {
            Table table = new Table(f("latency publish -> handler, ms, at %d events/s (%d recorded per row); from due"
                    + " time (coordinated omission corrected), then from the actual send", rows.get(0).rate(),
                    rows.get(0).expected()), "", "p50", "p90", "p99", "p99.9", "max", "send p50", "send p99",
                    "send max", "received");
            rows.forEach(row -> table.row(row.name(), row.fromDue().cells(), f("%.2f", row.fromSend().p50()),
                    f("%.2f", row.fromSend().p99()), f("%.2f", row.fromSend().max()),
                    row.received() + "/" + row.expected()));
            table.print(out);
        }
    }

    static <T> double median(Collection<T> items, ToDoubleFunction<T> figure) {
        double[] values = items.stream().mapToDouble(figure).sorted().toArray();
        if (values.length == 0) {
            return 0;
        }
        int middle = values.length / 2;
        return values.length % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }

    static double ratio(double part, double whole) {
        return whole == 0 ? 0 : part / whole;
    }

    /** The servers, client, JDK and machine, and how busy the machine was (1-minute load average), as one line. */
    static String environment(String servers, double loadBefore) {
        return f("%s, jnats %s, JDK %s, %d CPUs, %d MiB RAM, load average %.1f before / %.1f after", servers,
                io.nats.client.Nats.CLIENT_VERSION, Runtime.version(), Runtime.getRuntime().availableProcessors(),
                OS.getTotalMemorySize() >> 20, loadBefore, loadAverage());
    }

    static double loadAverage() {
        return OS.getSystemLoadAverage();
    }

    /** CPU time of this JVM so far: every thread, GC and JIT included. */
    static long ownCpuNanos() {
        return Math.max(0, OS.getProcessCpuTime());
    }

    /** "warm-up 1/2", then "run 1/5": the label of a run as it is printed. */
    static String label(int run, int warmupRuns, int runs) {
        return run < warmupRuns ? "warm-up " + (run + 1) + "/" + warmupRuns
                : "run " + (run - warmupRuns + 1) + "/" + runs;
    }

    static Duration seconds(double seconds) {
        return Duration.ofMillis(Math.round(seconds * 1000));
    }

    static String f(String format, Object... values) {
        return String.format(Locale.ROOT, format, values);
    }

    /** Rows of cells printed under a title in aligned columns. */
    static final class Table {

        private final String title;
        private final List<List<String>> rows = new ArrayList<>();

        Table(String title, Object... header) {
            this.title = title;
            row(header);
        }

        /** A cell is printed as {@link String#valueOf}; a list cell spreads over several columns. */
        Table row(Object... cells) {
            List<String> row = new ArrayList<>();
            for (Object cell : cells) {
                if (cell instanceof List<?> list) {
                    list.forEach(item -> row.add(String.valueOf(item)));
                } else {
                    row.add(String.valueOf(cell));
                }
            }
            rows.add(row);
            return this;
        }

        void print(PrintStream out) {
            out.println();
            out.println(title);
            for (List<String> row : rows) {
                StringBuilder line = new StringBuilder(" ");
                for (int column = 0; column < row.size(); column++) {
                    line.append(column == 0 ? " " : "   ").append(aligned(column, row.get(column)));
                }
                out.println(line.toString().stripTrailing());
            }
        }

        /** Figures to the right; names (the first column) and words to the left. */
        private String aligned(int column, String cell) {
            int width = rows.stream().filter(row -> column < row.size()).mapToInt(row -> row.get(column).length()).max()
                    .orElse(0);
            boolean text = column == 0 || rows.stream().skip(1)
                    .anyMatch(row -> column < row.size() && row.get(column).matches(".*[A-Za-z].*"));
            return f("%" + (text ? "-" : "") + width + "s", cell);
        }
    }
}
