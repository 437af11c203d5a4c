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
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Issue 4, target (b): what publishing costs {@code POST /api/tickets}, closed-loop clients on two stacks that differ
 * only by {@code TICKETING_OUTBOX_RELAYENABLED}, in alternating runs (benchmarks/README.md, (b)).
 */
final class RelayCost {

    static final double TARGET_RATIO = 0.7;

    private RelayCost() {
    }

    static Result measure(BenchStack on, BenchStack off, ServiceBenchmark options, PrintStream progress)
            throws IOException, InterruptedException, JetStreamApiException {
        List<LoadRun> onRuns = new ArrayList<>();
        List<LoadRun> offRuns = new ArrayList<>();
        try (Connection admin = Nats.connect(on.natsUrl())) {
            JetStreamManagement jsm = admin.jetStreamManagement();
            EdgeHttp onHttp = new EdgeHttp(on);
            EdgeHttp offHttp = new EdgeHttp(off);
            for (int run = 0; run < options.warmupRuns + options.runs; run++) {
                String label = Figures.label(run, options.warmupRuns, options.runs);
                for (int turn = 0; turn < 2; turn++) {
                    boolean relay = (turn + run) % 2 == 0;
                    LoadRun result = relay ? closedLoop(on, onHttp, jsm, options)
                            : closedLoop(off, offHttp, null, options);
                    if (run >= options.warmupRuns) {
                        (relay ? onRuns : offRuns).add(result);
                    }
                    progress.printf(Locale.ROOT, "throughput relay %-3s %-12s %,8.0f req/s%n", relay ? "on" : "off",
                            label, result.sustainedPerSecond());
                }
            }
        }
        return new Result(options.clients, options.runSeconds, onRuns, offRuns);
    }

    /**
     * {@code clients} threads, each sending its next request when the previous answer arrived, until the end. With
     * the relay on ({@code jsm} given) the run is over when its events are on the bus (every 201 puts exactly one
     * ticket.created there): the next run, of either stack, must not share the machine with this relay catching up.
     */
    private static LoadRun closedLoop(BenchStack stack, EdgeHttp http, @Nullable JetStreamManagement jsm,
            ServiceBenchmark options)
            throws IOException, InterruptedException, JetStreamApiException {
        HttpRequest request = http.createTicketRequest("Load test", "12.5");
        long publishedBefore = jsm == null ? 0 : published(jsm);
        AtomicLong created = new AtomicLong();
        AtomicLong failures = new AtomicLong();
        Supplier<BenchStack.Cpu> cpu = stack.cpu(ServiceBenchmark.TICKETS);
        long start = System.nanoTime();
        long deadline = start + Math.round(options.runSeconds * 1e9);
        // Closing waits for the clients: each request times out after 30 s at most (EdgeHttp).
        try (ExecutorService pool = Executors.newFixedThreadPool(options.clients,
                Thread.ofPlatform().name("bench-client-", 0).factory())) {
            for (int i = 0; i < options.clients; i++) {
                pool.execute(() -> {
                    while (System.nanoTime() < deadline) {
                        try {
                            (http.status(request) == 201 ? created : failures).incrementAndGet();
                        } catch (IOException e) {
                            failures.incrementAndGet();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return;
                        }
                    }
                });
            }
        }
        long ended = System.nanoTime();
        long backlog = 0;
        double drainSeconds = 0;
        if (jsm != null) {
            long expected = publishedBefore + created.get();
            backlog = Math.max(0, expected - published(jsm));
            Load.await("run's events all on the bus", Duration.ofMinutes(2), 5, () -> published(jsm),
                    published -> published >= expected);
            drainSeconds = backlog == 0 ? 0 : (System.nanoTime() - ended) / 1e9;
        }
        return new LoadRun(jsm != null, created.get(), failures.get(), (ended - start) / 1e9, backlog, drainSeconds,
                cpu.get());
    }

    private static long published(JetStreamManagement jsm) throws IOException, JetStreamApiException {
        return jsm.getStreamInfo("TICKETING").getStreamState().getMsgCount();
    }

    /**
     * One closed-loop run: {@code seconds} to the last answer; with the relay on, the {@code backlog} of events not yet
     * on the bus then and the {@code drainSeconds} until they all were (the CPU is counted until then too).
     */
    record LoadRun(boolean relay, long created, long failures, double seconds, long backlog, double drainSeconds,
            BenchStack.Cpu cpu) {

        /** Answers per second while the clients ran. */
        double perSecond() {
            return seconds == 0 ? 0 : created / seconds;
        }

        /** With the relay on a run ends when its last event is on the bus: a relay falling behind is not flattered. */
        double sustainedPerSecond() {
            return seconds + drainSeconds == 0 ? 0 : created / (seconds + drainSeconds);
        }

        double cpuMillisPerRequest() {
            return perRequest(cpu.service() + cpu.nats() + cpu.own());
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
                    + " while the clients ran with the relay on: %,.0f; at most %,d events left to publish at a run's"
                    + " end, on the bus %.2f s later", clients, runSeconds, ratio(), Figures.ratio(onCpu, offCpu),
                    failures(),
                    median(on, LoadRun::perSecond), on.stream().mapToLong(LoadRun::backlog).max().orElse(0),
                    on.stream().mapToDouble(LoadRun::drainSeconds).max().orElse(0)),
                    "relay", "req/s", "CPU ms/req", "tickets-service", "nats-server", "this JVM", "runs (req/s)");
            row(table, "on", onRate(), on);
            row(table, "off", offRate(), off);
            table.print(out);
        }

        private static void row(Table table, String relay, double rate, List<LoadRun> runs) {
            table.row(relay, f("%,.0f", rate), f("%.2f", median(runs, LoadRun::cpuMillisPerRequest)),
                    f("%.3f", median(runs, run -> run.perRequest(run.cpu().service()))),
                    f("%.3f", median(runs, run -> run.perRequest(run.cpu().nats()))),
                    f("%.3f", median(runs, run -> run.perRequest(run.cpu().own()))),
                    runs.stream().map(run -> f("%,.0f", run.sustainedPerSecond())).collect(Collectors.joining("  ")));
        }
    }
}
