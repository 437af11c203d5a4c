package dev.ticketing.benchmarks;

import dev.ticketing.events.bus.EventBusSettings;
import dev.ticketing.testsupport.NatsServer;
import dev.ticketing.testsupport.TestServers;
import io.nats.client.Connection;
import io.nats.client.Nats;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Measures what {@code common-events} costs over plain jnats, in one run against one nats-server: publish and
 * consume throughput of both (medians of interleaved runs after a warm-up), their ratio, and end-to-end
 * latency at a fixed rate. Starts its own nats-server unless {@code NATS_URL} names one.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar [messages=100000] [runs=3] ...</pre>
 */
public final class BusBenchmark {

    private BusBenchmark() {
    }

    public static void main(String[] args) {
        Benchmarks.launch(args, arguments -> BenchmarkOptions.parse(arguments, System.getProperties()), options -> {
            String external = System.getProperty("bench.natsUrl", System.getenv("NATS_URL"));
            if (external != null && !external.isBlank()) {
                run(external, "NATS_URL " + external, options, System.out).print(System.out);
                return;
            }
            try (NatsServer server = TestServers.dedicatedNats()) {
                String where = server.mode().name().toLowerCase(Locale.ROOT) + " at " + server.url();
                run(server.url(), where, options, System.out).print(System.out);
            }
        });
    }

    /** Runs every phase and returns the figures; {@code progress} gets one line per run as it happens. */
    static BenchmarkReport run(String url, String where, BenchmarkOptions options, PrintStream progress) throws Exception {
        EventBusSettings.Consumer consumerSettings = EventBusSettings.Consumer.DEFAULT.withConcurrency(options.concurrency());
        EventBusSettings librarySettings = EventBusSettings.of(url, "bench");
        String libraryStream = librarySettings.stream().name();
        Workload workload = new Workload(libraryStream);
        // Generous: a run that cannot finish in this time is broken, not slow.
        Duration runTimeout = Duration.ofSeconds(30 + options.messages() / 2_000);

        double loadBefore = CpuClock.loadAverage();
        try (Connection admin = Nats.connect(url)) {
            String server = "nats-server " + admin.getServerInfo().getVersion();
            try (StreamJanitor janitor = new StreamJanitor(admin.jetStreamManagement(),
                    Set.of(Workload.RAW_STREAM, libraryStream, librarySettings.deadLetters().stream()))) {
                janitor.requireEmptyOrAbsent(libraryStream);
                janitor.createRawStream();
                try (RawJetStream raw = new RawJetStream(url, workload, consumerSettings, janitor);
                        LibraryBus library = new LibraryBus(url, consumerSettings, workload, janitor)) {
                    Phases phases = new Phases(options, progress, janitor, raw, library, libraryStream, runTimeout);
                    phases.publish();
                    phases.consume();
                    LatencyResult rawLatency = phases.rawLatency();
                    LatencyResult libraryLatency = phases.libraryLatency();
                    return new BenchmarkReport(
                            "%s (%s), jnats %s, JDK %s, %d CPUs, load average %.1f before / %.1f after".formatted(
                                    server, where, Nats.CLIENT_VERSION, Runtime.version(),
                                    Runtime.getRuntime().availableProcessors(), loadBefore, CpuClock.loadAverage()),
                            "ticket.created: %d B JSON + %d B headers (4 event headers, Nats-Msg-Id, Nats-Expected-Stream)"
                                    .formatted(workload.payloadBytes(), workload.headerBytes()),
                            ("%,d msg/run, median of %d run(s) after %d warm-up, %d publishes in flight; consumers: batch %d,"
                                    + " max ack pending %d, ack wait %ss, library concurrency %d").formatted(
                                    options.messages(), options.runs(), options.warmupRuns(), options.inFlight(),
                                    consumerSettings.batchSize(), consumerSettings.maxAckPending(),
                                    consumerSettings.ackWait().toSeconds(), consumerSettings.concurrency()),
                            phases.rawPublish(), phases.libraryPublish(), phases.bare(),
                            phases.rawConsume(), phases.libraryConsume(), rawLatency, libraryLatency);
                }
            }
        }
    }

    /** The phases in order, each raw run next to its library twin so that drift on a busy machine hits both. */
    private static final class Phases {

        private final BenchmarkOptions options;
        private final PrintStream progress;
        private final StreamJanitor janitor;
        private final RawJetStream raw;
        private final LibraryBus library;
        private final String libraryStream;
        private final Duration runTimeout;
        private final List<Throughput> rawPublish = new ArrayList<>();
        private final List<Throughput> libraryPublish = new ArrayList<>();
        private final List<Throughput> bare = new ArrayList<>();
        private final List<Throughput> rawConsume = new ArrayList<>();
        private final List<Throughput> libraryConsume = new ArrayList<>();

        Phases(BenchmarkOptions options, PrintStream progress, StreamJanitor janitor, RawJetStream raw,
                LibraryBus library, String libraryStream, Duration runTimeout) {
            this.options = options;
            this.progress = progress;
            this.janitor = janitor;
            this.raw = raw;
            this.library = library;
            this.libraryStream = libraryStream;
            this.runTimeout = runTimeout;
        }

        /** Each run starts from an empty stream; the last one leaves exactly {@code messages} for the consume phase. */
        void publish() throws Exception {
            int total = options.warmupRuns() + options.runs();
            for (int run = 0; run < total; run++) {
                boolean timed = run >= options.warmupRuns();
                String label = label(run);
                if (options.bare()) {
                    janitor.purge(Workload.RAW_STREAM);
                    report("publish raw bare", label, raw.publishBare(options.messages(), options.inFlight(), runTimeout),
                            timed ? bare : null);
                }
                // Alternate who goes first, so that neither always runs on the warmer (or busier) machine.
                for (int turn = 0; turn < 2; turn++) {
                    if ((turn + run) % 2 == 0) {
                        janitor.purge(Workload.RAW_STREAM);
                        report("publish raw", label, raw.publish(options.messages(), options.inFlight(), runTimeout),
                                timed ? rawPublish : null);
                    } else {
                        janitor.purge(libraryStream);
                        report("publish library", label, library.publish(options.messages(), options.inFlight(), runTimeout),
                                timed ? libraryPublish : null);
                    }
                }
            }
        }

        /** Every run is a new durable reading the same {@code messages} from the start of the stream. */
        void consume() throws Exception {
            int total = options.warmupRuns() + options.runs();
            for (int run = 0; run < total; run++) {
                boolean timed = run >= options.warmupRuns();
                String label = label(run);
                for (int turn = 0; turn < 2; turn++) {
                    if ((turn + run) % 2 == 0) {
                        report("consume raw", label, raw.consume("bench-raw-" + run, options.messages(), runTimeout),
                                timed ? rawConsume : null);
                    } else {
                        report("consume library", label, library.consume("bench-consumer-" + run, options.messages(), runTimeout),
                                timed ? libraryConsume : null);
                    }
                }
            }
        }

        LatencyResult rawLatency() throws Exception {
            LatencyResult result = raw.latency(probe("raw jnats"), options.inFlight(), latencyTimeout());
            report(result);
            return result;
        }

        LatencyResult libraryLatency() throws Exception {
            LatencyResult result = library.latency(probe("library"), options.inFlight(), latencyTimeout());
            report(result);
            return result;
        }

        private LatencyProbe probe(String name) {
            progress.printf(Locale.ROOT, "latency %-9s %d events/s for %.1f s after %.1f s warm-up ...%n", name,
                    options.rate(), options.latencyDuration().toMillis() / 1000.0, options.latencyWarmup().toMillis() / 1000.0);
            return new LatencyProbe(name, options.rate(), options.latencyWarmupEvents(), options.latencyEvents());
        }

        private Duration latencyTimeout() {
            return options.latencyDuration().plus(options.latencyWarmup()).plusSeconds(30);
        }

        ThroughputPhase rawPublish() {
            return new ThroughputPhase("publish  raw jnats publishAsync", rawPublish);
        }

        ThroughputPhase libraryPublish() {
            return new ThroughputPhase("publish  library publishAsync", libraryPublish);
        }

        @Nullable ThroughputPhase bare() {
            return options.bare() ? new ThroughputPhase("publish  raw, no headers/msg id (ref.)", bare) : null;
        }

        ThroughputPhase rawConsume() {
            return new ThroughputPhase("consume  raw jnats consume()+ack", rawConsume);
        }

        ThroughputPhase libraryConsume() {
            return new ThroughputPhase("consume  library subscribe, no-op", libraryConsume);
        }

        private String label(int run) {
            return run < options.warmupRuns()
                    ? "warm-up " + (run + 1) + "/" + options.warmupRuns()
                    : "run " + (run - options.warmupRuns() + 1) + "/" + options.runs();
        }

        private void report(String phase, String label, Throughput run, @Nullable List<Throughput> into) {
            if (into != null) {
                into.add(run);
            }
            progress.printf(Locale.ROOT, "%-18s %-12s %,10.0f msg/s %6.1f CPU us/msg  (%,d in %d ms%s)%n", phase, label,
                    run.perSecond(), run.cpuMicrosPerMessage(), run.messages(), run.elapsed().toMillis(),
                    run.incomplete() == 0 ? "" : ", " + run.incomplete() + " incomplete");
        }

        private void report(LatencyResult result) {
            progress.printf(Locale.ROOT, "latency %-9s p50 %.2f ms, p99 %.2f ms (from due time), %d/%d received%n",
                    result.name(), result.fromIntended().p50(), result.fromIntended().p99(), result.received(), result.expected());
        }
    }
}
