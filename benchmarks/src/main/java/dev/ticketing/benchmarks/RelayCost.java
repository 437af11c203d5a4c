package dev.ticketing.benchmarks;

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
import org.jspecify.annotations.Nullable;

/**
 * Issue 4, target (b): what publishing costs {@code POST /api/tickets}. Two stacks run side by side, the
 * same in all but {@code TICKETING_OUTBOX_RELAYENABLED}; a fixed number of clients send requests back to back
 * through each edge in turn. Runs alternate between the stacks, and who goes first alternates too (on off,
 * off on, ...), so that a busy moment on a shared machine hits both; medians are compared.
 */
final class RelayCost {

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
                    stack.pids(BenchStack.TICKETS), stack.natsPids(), published);
        }
    }

    static RelayCostResult measure(BenchStack on, BenchStack off, String cookie, ServiceOptions options,
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

    private static RelayCostResult runs(Variant on, Variant off, ServiceOptions options, PrintStream progress)
            throws InterruptedException {
        List<LoadRun> onRuns = new ArrayList<>();
        List<LoadRun> offRuns = new ArrayList<>();
        int total = options.warmupRuns() + options.runs();
        progress.printf(Locale.ROOT, "throughput %d clients, %.1f s per run, %d warm-up + %d timed runs per variant ...%n",
                options.clients(), options.runDuration().toMillis() / 1000.0, options.warmupRuns(), options.runs());
        for (int run = 0; run < total; run++) {
            boolean timed = run >= options.warmupRuns();
            String label = timed ? "run " + (run - options.warmupRuns() + 1) + "/" + options.runs()
                    : "warm-up " + (run + 1) + "/" + options.warmupRuns();
            for (int turn = 0; turn < 2; turn++) {
                Variant variant = (turn + run) % 2 == 0 ? on : off;
                LoadRun result = closedLoop(variant, options.clients(), options.runDuration());
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
        return new RelayCostResult(options.clients(), options.runDuration().toMillis() / 1000.0, onRuns, offRuns);
    }

    /** {@code clients} threads, each sending its next request when the previous answer arrived, until the end. */
    private static LoadRun closedLoop(Variant variant, int clients, Duration duration) throws InterruptedException {
        EdgeHttp http = variant.http();
        HttpRequest request = variant.request();
        LongSupplier published = variant.published();
        long publishedBefore = published == null ? 0 : published.getAsLong();
        AtomicLong created = new AtomicLong();
        AtomicLong failures = new AtomicLong();
        long serviceCpu = ProcessCpu.nanos(variant.servicePids());
        long natsCpu = ProcessCpu.nanos(variant.natsPids());
        long ownCpu = CpuClock.now();
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
                (ProcessCpu.nanos(variant.servicePids()) - serviceCpu) / 1e9,
                (ProcessCpu.nanos(variant.natsPids()) - natsCpu) / 1e9, CpuClock.since(ownCpu).toNanos() / 1e9);
    }
}
