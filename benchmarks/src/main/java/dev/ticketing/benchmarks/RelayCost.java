package dev.ticketing.benchmarks;

import static dev.ticketing.benchmarks.Figures.f;
import static dev.ticketing.benchmarks.Figures.median;

import dev.ticketing.benchmarks.Figures.Table;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Issue 4, target (b): what publishing costs {@code POST /api/tickets}. Two stacks run side by side, the
 * same in all but {@code TICKETING_OUTBOX_RELAYENABLED}; a fixed number of clients send requests back to back
 * through each edge in turn. Runs alternate between the stacks, and who goes first alternates too (on off,
 * off on, ...), so that a busy moment on a shared machine hits both; medians are compared.
 */
final class RelayCost {

    static final double TARGET_RATIO = 0.7;
    private static final String STREAM = "TICKETING";
    private static final Duration DRAIN_TIMEOUT = Duration.ofMinutes(2);

    private RelayCost() {
    }

    /** One side of the comparison: where its requests go and what its run charges CPU to. */
    private record Variant(boolean relay, EdgeHttp http, HttpRequest request, List<Long> servicePids,
            List<Long> natsPids, @Nullable LongSupplier published) {

        static Variant of(boolean relay, BenchStack stack, String cookie, @Nullable LongSupplier published) {
            EdgeHttp http = new EdgeHttp(stack.edge());
            return new Variant(relay, http, http.createTicketRequest(cookie, "Load test", "12.5"),
                    stack.pids(ServiceBenchmark.TICKETS), stack.natsPids(), published);
        }
    }

    static Result measure(BenchStack on, BenchStack off, String cookie, ServiceBenchmark options,
            PrintStream progress) throws InterruptedException {
        try (Connection admin = Nats.connect(on.natsUrl())) {
            JetStreamManagement jsm = admin.jetStreamManagement();
            // Events on the bus so far: every 201 of the relay-on stack puts exactly one ticket.created there.
            LongSupplier published = () -> {
                try {
                    return jsm.getStreamInfo(STREAM).getStreamState().getMsgCount();
                } catch (IOException | JetStreamApiException e) {
                    throw new IllegalStateException("Cannot read stream " + STREAM + ": " + e.getMessage(), e);
                }
            };
            return runs(Variant.of(true, on, cookie, published), Variant.of(false, off, cookie, null), options,
                    progress);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot connect to " + on.natsUrl(), e);
        }
    }

    private static Result runs(Variant on, Variant off, ServiceBenchmark options, PrintStream progress)
            throws InterruptedException {
        List<LoadRun> onRuns = new ArrayList<>();
        List<LoadRun> offRuns = new ArrayList<>();
        int total = options.warmupRuns + options.runs;
        progress.printf(Locale.ROOT, "throughput %d clients, %.1f s per run, %d warm-up + %d timed runs per variant ...%n",
                options.clients, options.runSeconds, options.warmupRuns, options.runs);
        for (int run = 0; run < total; run++) {
            boolean timed = run >= options.warmupRuns;
            String label = timed ? "run " + (run - options.warmupRuns + 1) + "/" + options.runs
                    : "warm-up " + (run + 1) + "/" + options.warmupRuns;
            for (int turn = 0; turn < 2; turn++) {
                Variant variant = (turn + run) % 2 == 0 ? on : off;
                LoadRun result = closedLoop(variant, options.clients,
                        Duration.ofMillis(Math.round(options.runSeconds * 1000)));
                if (timed) {
                    (variant.relay() ? onRuns : offRuns).add(result);
                }
                progress.printf(Locale.ROOT, "throughput relay %-3s %-12s %,8.0f req/s %6.2f CPU ms/req  (%,d created,"
                                + " %d failed, %.2f s%s)%n", variant.relay() ? "on" : "off", label,
                        result.sustainedPerSecond(), result.cpuMillisPerRequest(), result.created(), result.failures(),
                        result.seconds(), variant.relay() ? String.format(Locale.ROOT,
                                "; %,d events still to publish at the end, all on the bus %.2f s later",
                                result.backlog(), result.drainSeconds()) : "");
            }
        }
        return new Result(options.clients, options.runSeconds, onRuns, offRuns);
    }

    /** {@code clients} threads, each sending its next request when the previous answer arrived, until the end. */
    private static LoadRun closedLoop(Variant variant, int clients, Duration duration) throws InterruptedException {
        EdgeHttp http = variant.http();
        HttpRequest request = variant.request();
        LongSupplier published = variant.published();
        long publishedBefore = published == null ? 0 : published.getAsLong();
        AtomicLong created = new AtomicLong();
        AtomicLong failures = new AtomicLong();
        long serviceCpu = Cpu.nanos(variant.servicePids());
        long natsCpu = Cpu.nanos(variant.natsPids());
        long ownCpu = Cpu.ownNanos();
        long start = System.nanoTime();
        long deadline = start + duration.toNanos();
        ExecutorService pool = Executors.newFixedThreadPool(clients, Thread.ofPlatform().name("bench-client-", 0).factory());
        try {
            for (int i = 0; i < clients; i++) {
                pool.execute(() -> {
                    while (System.nanoTime() < deadline) {
                        try {
                            if (http.status(request) == 201) {
                                created.incrementAndGet();
                            } else {
                                failures.incrementAndGet();
                            }
                        } catch (IOException e) {
                            failures.incrementAndGet();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return;
                        }
                    }
                });
            }
        } finally {
            pool.shutdown();
        }
        if (!pool.awaitTermination(duration.toSeconds() + 60, TimeUnit.SECONDS)) {
            pool.shutdownNow();
            throw new IllegalStateException("Clients still waiting for answers a minute after the run ended");
        }
        long ended = System.nanoTime();
        double seconds = (ended - start) / 1e9;
        long backlog = 0;
        double drainSeconds = 0;
        if (published != null) {
            // The run is over when its events are on the bus; the next run (of either stack) must not share the
            // machine with this one's relay catching up.
            long expected = publishedBefore + created.get();
            backlog = Math.max(0, expected - published.getAsLong());
            long drainDeadline = ended + DRAIN_TIMEOUT.toNanos();
            while (published.getAsLong() < expected) {
                if (System.nanoTime() > drainDeadline) {
                    throw new IllegalStateException((expected - published.getAsLong()) + " events of the run were still"
                            + " not on the bus " + DRAIN_TIMEOUT + " after it ended");
                }
                Thread.sleep(5);
            }
            drainSeconds = backlog == 0 ? 0 : (System.nanoTime() - ended) / 1e9;
        }
        return new LoadRun(variant.relay(), created.get(), failures.get(), seconds, backlog, drainSeconds,
                (Cpu.nanos(variant.servicePids()) - serviceCpu) / 1e9,
                (Cpu.nanos(variant.natsPids()) - natsCpu) / 1e9, (Cpu.ownNanos() - ownCpu) / 1e9);
    }

    /**
     * One closed-loop run of {@code POST /api/tickets}.
     *
     * @param relay whether the tickets service published its events (the outbox relay on)
     * @param seconds from the first request to the last answer
     * @param backlog (relay on) events of this run not yet on the bus when the last answer arrived
     * @param drainSeconds (relay on) from the last answer until every event of the run was on the bus
     * @param serviceCpuSeconds CPU time of tickets-service until the last answer, or with the relay on until the
     *     last event was on the bus; {@code natsCpuSeconds} the same for nats-server, {@code benchmarkCpuSeconds}
     *     for this JVM (the edge, the MongoDB server and the clients)
     */
    record LoadRun(boolean relay, long created, long failures, double seconds, long backlog, double drainSeconds,
            double serviceCpuSeconds, double natsCpuSeconds, double benchmarkCpuSeconds) {

        /** Answers per second while the clients ran. */
        double perSecond() {
            return seconds == 0 ? 0 : created / seconds;
        }

        /** With the relay on, a run is over when its last event is on the bus: a relay falling behind does not flatter it. */
        double sustainedPerSecond() {
            return seconds + drainSeconds == 0 ? 0 : created / (seconds + drainSeconds);
        }

        double cpuMillisPerRequest() {
            return perRequest(serviceCpuSeconds + natsCpuSeconds + benchmarkCpuSeconds);
        }

        double perRequest(double cpuSeconds) {
            return created == 0 ? 0 : cpuSeconds * 1000 / created;
        }
    }

    /** Target (b): relay on sustains at least 0.7 of the throughput with it off; the ratio of the medians. */
    record Result(int clients, double runSeconds, List<LoadRun> on, List<LoadRun> off) {

        double onRate() {
            return median(on, LoadRun::sustainedPerSecond);
        }

        double offRate() {
            return median(off, LoadRun::perSecond);
        }

        double ratio() {
            return Figures.ratio(onRate(), offRate());
        }

        boolean meetsTarget() {
            return ratio() >= TARGET_RATIO;
        }

        long failures() {
            return on.stream().mapToLong(LoadRun::failures).sum() + off.stream().mapToLong(LoadRun::failures).sum();
        }

        void print(PrintStream out) {
            double onCpu = median(on, LoadRun::cpuMillisPerRequest);
            double offCpu = median(off, LoadRun::cpuMillisPerRequest);
            Table table = new Table(f("POST /api/tickets through the edge, %d clients back to back, %.1f s per run"
                    + " (medians); on / off: throughput %.2f, CPU cost per request %.2fx; %d failed requests; answers/s"
                    + " while the clients ran with the relay on: %,.0f; at most %,d events left to publish at a run's end,"
                    + " on the bus %.2f s later", clients, runSeconds, ratio(), Figures.ratio(onCpu, offCpu), failures(),
                    median(on, LoadRun::perSecond), on.stream().mapToLong(LoadRun::backlog).max().orElse(0),
                    on.stream().mapToDouble(LoadRun::drainSeconds).max().orElse(0)),
                    "relay", "req/s", "CPU ms/req", "tickets-service", "nats-server", "this JVM", "runs (req/s)");
            row(table, "on", onRate(), on);
            row(table, "off", offRate(), off);
            table.print(out);
        }

        private static void row(Table table, String relay, double rate, List<LoadRun> runs) {
            ToDoubleFunction<LoadRun> service = run -> run.perRequest(run.serviceCpuSeconds());
            ToDoubleFunction<LoadRun> nats = run -> run.perRequest(run.natsCpuSeconds());
            ToDoubleFunction<LoadRun> own = run -> run.perRequest(run.benchmarkCpuSeconds());
            table.row(relay, f("%,.0f", rate), f("%.2f", median(runs, LoadRun::cpuMillisPerRequest)),
                    f("%.3f", median(runs, service)), f("%.3f", median(runs, nats)), f("%.3f", median(runs, own)),
                    runs.stream().map(run -> f("%,.0f", run.sustainedPerSecond())).collect(Collectors.joining("  ")));
        }
    }
}
