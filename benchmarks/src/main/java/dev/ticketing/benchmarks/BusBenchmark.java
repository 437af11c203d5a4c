package dev.ticketing.benchmarks;

import static dev.ticketing.benchmarks.Figures.f;
import static dev.ticketing.benchmarks.Figures.ratio;

import dev.ticketing.benchmarks.Figures.Latency;
import dev.ticketing.benchmarks.Figures.Run;
import dev.ticketing.benchmarks.Figures.Runs;
import dev.ticketing.benchmarks.Figures.Table;
import dev.ticketing.events.TicketCreated;
import dev.ticketing.events.bus.EventBusSettings;
import dev.ticketing.testsupport.NatsServer;
import dev.ticketing.testsupport.TestServers;
import io.nats.client.Connection;
import io.nats.client.Nats;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * What {@code common-events} costs over plain jnats: publish and consume throughput (medians of interleaved runs),
 * their ratio, and latency at a fixed rate. Two warm-ups: the library's consume path still compiles during the first.
 */
@Command(name = "bus", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "The event bus against raw jnats on one nats-server (started unless NATS_URL names one).")
final class BusBenchmark implements Callable<Integer> {

    static final double TARGET = 0.8;
    static final double CONSUME_TARGET = 0.95;
    static final double CONSUME_CPU_TARGET = 1.1;

    @Option(names = "--messages", defaultValue = "100000", description = "messages per throughput run") int messages;
    @Option(names = "--runs", defaultValue = "5", description = "timed runs per throughput phase") int runs;
    @Option(names = "--warmupRuns", defaultValue = "2", description = "untimed runs per phase first") int warmupRuns;
    @Option(names = "--inFlight", defaultValue = "1000", description = "publishes awaiting their PubAck") int inFlight;
    @Option(names = "--rate", defaultValue = "1000", description = "events/s in the latency phases") int rate;
    @Option(names = "--latencySeconds", defaultValue = "10", description = "recorded seconds per latency phase")
    double latencySeconds;
    @Option(names = "--latencyWarmupSeconds", defaultValue = "2", description = "unrecorded seconds first")
    double latencyWarmupSeconds;
    @Option(names = "--concurrency", defaultValue = "1", description = "library handler concurrency") int concurrency;
    @Option(names = "--bare", arity = "0..1", defaultValue = "true", fallbackValue = "true",
            description = "also raw publishes without headers or message id (true)") boolean bare;
    @Option(names = "--natsUrl", defaultValue = "${env:NATS_URL}", description = "a scratch server to use instead of"
            + " starting one (its streams are purged; refused if TICKETING holds events)") @Nullable String natsUrl;

    @Override
    public Integer call() throws Exception {
        try (NatsServer server = natsUrl == null || natsUrl.isBlank() ? TestServers.dedicatedNats() : null) {
            String url = server == null ? natsUrl : server.url();
            run(url, server == null ? "NATS_URL " + url : server.mode().name().toLowerCase(Locale.ROOT) + " at " + url,
                    System.out).print(System.out);
        }
        return 0;
    }

    /** Runs every phase, raw next to library so that drift on a busy machine hits both; prints a line per run. */
    Report run(String url, String where, PrintStream progress) throws Exception {
        EventBusSettings.Consumer consumer = EventBusSettings.Consumer.DEFAULT.withConcurrency(concurrency);
        EventBusSettings librarySettings = EventBusSettings.of(url, "bench");
        String libraryStream = librarySettings.stream().name();
        // Generous: a run that cannot finish in this time is broken, not slow.
        Duration timeout = Duration.ofSeconds(30 + messages / 2_000);
        double loadBefore = Figures.loadAverage();
        try (Connection admin = Nats.connect(url);
                StreamJanitor janitor = new StreamJanitor(admin.jetStreamManagement(), RawJetStream.STREAM,
                        libraryStream, librarySettings.deadLetters().stream())) {
            janitor.requireEmptyOrAbsent(libraryStream);
            janitor.createRawStream();
            try (RawJetStream raw = new RawJetStream(url, consumer, janitor);
                    LibraryBus library = new LibraryBus(url, janitor, settings -> settings.withConsumer(consumer))) {
                Map<String, List<Run>> timed = new HashMap<>();
                // Each publish run starts from an empty stream; the last leaves exactly `messages` for the consumers.
                for (int run = 0; run < warmupRuns + runs; run++) {
                    if (bare) {
                        janitor.purge(RawJetStream.STREAM);
                        report(progress, "publish raw bare", run, raw.publishBare(messages, inFlight, timeout), timed);
                    }
                    // Alternate who goes first, so that neither always runs on the warmer (or busier) machine.
                    for (int turn = 0; turn < 2; turn++) {
                        boolean rawTurn = (turn + run) % 2 == 0;
                        janitor.purge(rawTurn ? RawJetStream.STREAM : libraryStream);
                        report(progress, rawTurn ? "publish raw" : "publish library", run, rawTurn
                                ? raw.publish(messages, inFlight, timeout)
                                : library.publish(messages, inFlight, timeout, LibraryBus.newEvents()), timed);
                    }
                }
                // Every consume run is a new durable reading the same messages from the start of the stream; the
                // three consumers take turns going first.
                for (int run = 0; run < warmupRuns + runs; run++) {
                    for (int turn = 0; turn < 3; turn++) {
                        switch ((turn + run) % 3) {
                            case 0 -> report(progress, "consume raw", run,
                                    raw.consume("bench-raw-" + run, messages, timeout, false), timed);
                            case 1 -> report(progress, "consume library", run, library.consume(TicketCreated.class,
                                    "bench-consumer-" + run, messages, timeout), timed);
                            default -> report(progress, "consume raw typed", run,
                                    raw.consume("bench-raw-typed-" + run, messages, timeout, true), timed);
                        }
                    }
                }
                Duration latencyTimeout = Figures.seconds(latencySeconds + latencyWarmupSeconds).plusSeconds(30);
                Latency rawLatency = raw.latency(probe("raw jnats", progress), inFlight, latencyTimeout);
                Latency libraryLatency = library.latency(probe("library", progress), inFlight, latencyTimeout);
                return new Report(Figures.environment(
                                "nats-server " + admin.getServerInfo().getVersion() + " (" + where + ")", loadBefore),
                        f("ticket.created: %d B JSON + %d B headers (4 event headers, Nats-Msg-Id,"
                                + " Nats-Expected-Stream)", RawJetStream.PAYLOAD.length,
                                RawJetStream.headerBytes(libraryStream)),
                        f("%,d msg/run, median of %d run(s) after %d warm-up, %d publishes in flight; consumers:"
                                + " batch %d, max ack pending %d, ack wait %ss, library concurrency %d", messages, runs,
                                warmupRuns, inFlight, consumer.batchSize(), consumer.maxAckPending(),
                                consumer.ackWait().toSeconds(), consumer.concurrency()),
                        new Runs("publish  raw jnats publishAsync", timed.get("publish raw")),
                        new Runs("publish  library publishAsync", timed.get("publish library")),
                        bare ? new Runs("publish  raw, no headers/msg id (ref.)", timed.get("publish raw bare")) : null,
                        new Runs("consume  raw jnats consume()+ack", timed.get("consume raw")),
                        new Runs("consume  library subscribe, no-op", timed.get("consume library")),
                        new Runs("consume  raw + Jackson record (ref.)", timed.get("consume raw typed")), rawLatency,
                        libraryLatency);
            }
        }
    }

    private Load.LatencyProbe probe(String name, PrintStream progress) {
        progress.printf(Locale.ROOT, "latency %-9s %d events/s for %.1f s after %.1f s warm-up ...%n", name, rate,
                latencySeconds, latencyWarmupSeconds);
        return new Load.LatencyProbe(name, rate, latencyWarmupSeconds, latencySeconds);
    }

    /** Prints a run as it ends and keeps it under its phase if it was timed. */
    private void report(PrintStream progress, String phase, int run, Run result, Map<String, List<Run>> timed) {
        if (run >= warmupRuns) {
            timed.computeIfAbsent(phase, name -> new ArrayList<>()).add(result);
        }
        progress.printf(Locale.ROOT, "%-18s %-12s %,10.0f msg/s%n", phase, Figures.label(run, warmupRuns, runs),
                result.perSecond());
    }

    record Report(String environment, String message, String settings, Runs rawPublish, Runs libraryPublish,
            @Nullable Runs bare, Runs rawConsume, Runs libraryConsume, Runs rawTypedConsume, Latency rawLatency,
            Latency libraryLatency) {

        List<Runs> throughput() {
            return bare == null ? List.of(rawPublish, libraryPublish, rawConsume, libraryConsume, rawTypedConsume)
                    : List.of(rawPublish, libraryPublish, bare, rawConsume, libraryConsume, rawTypedConsume);
        }

        double publishRatio() {
            return ratio(libraryPublish.median(), rawPublish.median());
        }

        double consumeRatio() {
            return ratio(libraryConsume.median(), rawConsume.median());
        }

        void print(PrintStream out) {
            out.println();
            out.println("== Ticketing event bus vs raw jnats ==");
            out.println("environment  " + environment);
            out.println("message      " + message);
            out.println("settings     " + settings);
            Table throughput = new Table("throughput (medians)", "", "msg/s", "CPU us/msg", "runs (msg/s)");
            for (Runs phase : throughput()) {
                throughput.row(phase.name(), f("%,.0f", phase.median()), f("%.1f", phase.medianCpuMicros()),
                        phase.rates());
            }
            throughput.print(out);
            new Table("library / raw (medians), target: throughput >= " + TARGET, "", "throughput", "CPU cost", "")
                    .row("publish", f("%.2f", publishRatio()),
                            f("%.2f", ratio(libraryPublish.medianCpuMicros(), rawPublish.medianCpuMicros())),
                            verdict(publishRatio()))
                    .row("consume", f("%.2f", consumeRatio()),
                            f("%.2f", ratio(libraryConsume.medianCpuMicros(), rawConsume.medianCpuMicros())),
                            verdict(consumeRatio()))
                    .print(out);
            double typedRatio = ratio(libraryConsume.median(), rawTypedConsume.median());
            double typedCpu = ratio(libraryConsume.medianCpuMicros(), rawTypedConsume.medianCpuMicros());
            double cpu = ratio(libraryConsume.medianCpuMicros(), rawConsume.medianCpuMicros());
            new Table("consume, issue 15's targets: throughput >= " + CONSUME_TARGET + " and CPU <= "
                    + CONSUME_CPU_TARGET + " of raw", "", "throughput", "CPU cost", "")
                    .row("library / raw consume()+ack", f("%.2f", consumeRatio()), f("%.2f", cpu),
                            consumeRatio() >= CONSUME_TARGET && cpu <= CONSUME_CPU_TARGET ? "met" : "NOT met")
                    .row("library / raw + Jackson record", f("%.2f", typedRatio), f("%.2f", typedCpu), "(reference)")
                    .print(out);
            Latency.print(out, List.of(rawLatency, libraryLatency));
            out.println();
        }

        private static String verdict(double ratio) {
            return ratio >= TARGET ? "meets target" : "BELOW target";
        }
    }
}
