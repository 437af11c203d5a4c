package dev.ticketing.benchmarks;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * Sizes of one benchmark run. Each can be given as a program argument {@code name=value} or as a system
 * property {@code -Dbench.name=value}; the argument wins. The defaults keep a run near one minute on a 2-core
 * machine; two warm-up runs because the library's consume path (Jackson, java.time) is still being compiled
 * during the first.
 *
 * @param messages messages per throughput run (publish, and the stream each consume run reads)
 * @param runs timed runs per throughput phase; the median is reported because a 2-core machine is noisy
 * @param warmupRuns untimed runs per throughput phase before the timed ones, so the JIT has compiled both paths
 * @param inFlight publishes awaiting their PubAck at most, for raw and library alike
 * @param rate events per second in the latency phases
 * @param latencyDuration how long the latency phases record
 * @param latencyWarmup how long the latency phases publish at the same rate before recording
 * @param concurrency the library's handler concurrency per subscription (1 is its default and keeps order)
 * @param bare also measure raw publishes without headers or message id, as a reference for what they cost
 */
record BenchmarkOptions(int messages, int runs, int warmupRuns, int inFlight, int rate, Duration latencyDuration,
        Duration latencyWarmup, int concurrency, boolean bare) {

    static final BenchmarkOptions DEFAULTS = new BenchmarkOptions(100_000, 5, 2, 1000, 1000, Duration.ofSeconds(10),
            Duration.ofSeconds(2), 1, true);

    static final String USAGE = """
            Arguments (each also as -Dbench.<name>=<value>):
              messages=100000        messages per throughput run
              runs=5                 timed runs per throughput phase (median reported)
              warmupRuns=2           untimed runs per throughput phase first
              inFlight=1000          publishes awaiting their PubAck at most
              rate=1000              events/s in the latency phases
              latencySeconds=10      recorded seconds per latency phase
              latencyWarmupSeconds=2 unrecorded seconds before that
              concurrency=1          library handler concurrency
              bare=true              also measure raw publishes without headers/message id
            NATS_URL (or -Dbench.natsUrl) selects a server instead of starting one: a scratch server, since the
            benchmark purges its streams (it refuses to start if TICKETING already holds events).""";

    BenchmarkOptions {
        require(messages >= 1, "messages must be at least 1");
        require(runs >= 1, "runs must be at least 1");
        require(warmupRuns >= 0, "warmupRuns must not be negative");
        require(inFlight >= 1, "inFlight must be at least 1");
        require(rate >= 1 && rate <= 1_000_000, "rate must be 1 to 1000000 events/s");
        require(!latencyDuration.isNegative() && !latencyDuration.isZero(), "latencySeconds must be positive");
        require(!latencyWarmup.isNegative(), "latencyWarmupSeconds must not be negative");
        require(concurrency >= 1 && concurrency <= 1024, "concurrency must be 1 to 1024");
    }

    /** Small enough for a smoke test, large enough that every phase moves real messages. */
    static BenchmarkOptions smoke() {
        return new BenchmarkOptions(2_000, 1, 1, 1000, 1000, Duration.ofSeconds(1), Duration.ofMillis(200), 1, true);
    }

    int latencyWarmupEvents() {
        return (int) (rate * latencyWarmup.toMillis() / 1000);
    }

    int latencyEvents() {
        return (int) Math.max(1, rate * latencyDuration.toMillis() / 1000);
    }

    static BenchmarkOptions parse(String[] args, Properties systemProperties) {
        Map<String, String> values = OptionArgs.collect(args, systemProperties, Set.of("natsUrl"), USAGE);
        BenchmarkOptions d = DEFAULTS;
        int messages = d.messages;
        int runs = d.runs;
        int warmupRuns = d.warmupRuns;
        int inFlight = d.inFlight;
        int rate = d.rate;
        Duration latency = d.latencyDuration;
        Duration latencyWarmup = d.latencyWarmup;
        int concurrency = d.concurrency;
        boolean bare = d.bare;
        for (Map.Entry<String, String> entry : values.entrySet()) {
            String value = entry.getValue().trim().replace("_", "");
            try {
                switch (entry.getKey()) {
                    case "messages" -> messages = Integer.parseInt(value);
                    case "runs" -> runs = Integer.parseInt(value);
                    case "warmupRuns" -> warmupRuns = Integer.parseInt(value);
                    case "inFlight" -> inFlight = Integer.parseInt(value);
                    case "rate" -> rate = Integer.parseInt(value);
                    case "latencySeconds" -> latency = OptionArgs.seconds(value);
                    case "latencyWarmupSeconds" -> latencyWarmup = OptionArgs.seconds(value);
                    case "concurrency" -> concurrency = Integer.parseInt(value);
                    case "bare" -> bare = Boolean.parseBoolean(value);
                    default -> throw new IllegalArgumentException("Unknown option '" + entry.getKey() + "'\n" + USAGE);
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("Option " + entry.getKey() + " is not a number: " + value + "\n" + USAGE);
            }
        }
        return new BenchmarkOptions(messages, runs, warmupRuns, inFlight, rate, latency, latencyWarmup, concurrency, bare);
    }


    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message + "\n" + USAGE);
        }
    }
}
