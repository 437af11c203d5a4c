package dev.ticketing.benchmarks;

import static dev.ticketing.benchmarks.Figures.f;

import dev.ticketing.benchmarks.Figures.Table;
import dev.ticketing.localstack.StackSettings;
import io.nats.client.Connection;
import io.nats.client.Nats;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import org.springframework.util.FileSystemUtils;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The Speed targets of issues 4 and 5 on the real stack, the service jars run by {@code local-stack}: (a)
 * {@link LightLoad#events}, (b) {@link RelayCost}, (c) {@link LightLoad#replica}, (d) {@link ReplicaBurst}.
 */
@Command(name = "services", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "The services' event paths on the real stack (issues 4 and 5).")
final class ServiceBenchmark implements Callable<Integer> {

    enum Phase { EVENTS, THROUGHPUT, REPLICA, BURST }

    static final String AUTH = "auth-service";
    static final String TICKETS = "tickets-service";
    static final String ORDERS = "orders-service";

    @Option(names = "--phases", split = ",", defaultValue = "events,throughput,replica,burst",
            description = "what to measure: events (a), throughput (b), replica (c), burst (d)")
    Set<Phase> phases = EnumSet.allOf(Phase.class);
    @Option(names = "--rate", defaultValue = "20", description = "requests/s in (a) and (c)") int rate;
    @Option(names = "--lightSeconds", defaultValue = "15", description = "recorded seconds, (a) (c)")
    double lightSeconds;
    @Option(names = "--lightWarmupSeconds", defaultValue = "5", description = "unrecorded seconds first")
    double lightWarmupSeconds;
    @Option(names = "--replicaTickets", defaultValue = "50", description = "tickets (c) edits in turn")
    int replicaTickets;
    @Option(names = "--clients", defaultValue = "16", description = "concurrent clients in (b)") int clients;
    @Option(names = "--runSeconds", defaultValue = "5", description = "seconds per run in (b)") double runSeconds;
    @Option(names = "--runs", defaultValue = "4", description = "timed runs per variant in (b)") int runs;
    @Option(names = "--warmupRuns", defaultValue = "3", description = "untimed runs per variant first") int warmupRuns;
    @Option(names = "--burstTickets", defaultValue = "100", description = "tickets in a burst (d)") int burstTickets;
    @Option(names = "--burstVersions", defaultValue = "100", description = "updates per ticket per burst")
    int burstVersions;
    @Option(names = "--burstRuns", defaultValue = "3", description = "timed bursts") int burstRuns;
    @Option(names = "--burstWarmupVersions", defaultValue = "300", description = "per ticket in an untimed burst first")
    int burstWarmupVersions;
    @Option(names = "--ordersReplicas", defaultValue = "2", description = "orders-service processes for (a), (c), (d)")
    int ordersReplicas;
    @Option(names = "--serviceEnv", split = ";", description = "NAME=value;NAME2=value2 for every service process")
    Map<String, String> serviceEnv = new LinkedHashMap<>();
    @Option(names = "--keepData", arity = "0..1", fallbackValue = "true", description = "keep the stacks' data dirs")
    boolean keepData;
    @Option(names = "--repo", description = "the checkout with the built jars (default: above the working directory)")
    @Nullable Path repo;

    private volatile String natsVersion = "?";

    @Override
    public Integer call() throws Exception {
        run(System.out).print(System.out);
        return 0;
    }

    Report run(PrintStream progress) throws Exception {
        Path repository = repo != null ? repo.toAbsolutePath().normalize()
                : StackSettings.repositoryRootAbove(Path.of("").toAbsolutePath());
        Path work = Files.createTempDirectory("ticketing-service-bench-");
        double loadBefore = Figures.loadAverage();
        LightLoad.Lag events = null;
        LightLoad.Lag replica = null;
        ReplicaBurst.Result burst = null;
        RelayCost.Result throughput = null;
        try {
            if (phases.contains(Phase.EVENTS) || phases.contains(Phase.REPLICA) || phases.contains(Phase.BURST)) {
                progress.println("starting the stack (edge, nats-server, MongoDB, auth, tickets, orders) ...");
                try (BenchStack stack = start(repository, work.resolve("full"), serviceEnv, AUTH, TICKETS, ORDERS)) {
                    EdgeHttp http = new EdgeHttp(stack);
                    LightLoad light = new LightLoad(stack, http, this, progress);
                    events = phases.contains(Phase.EVENTS) ? light.events() : null;
                    replica = phases.contains(Phase.REPLICA) ? light.replica() : null;
                    burst = phases.contains(Phase.BURST) ? new ReplicaBurst(stack, http, this).run(progress) : null;
                }
            }
            if (phases.contains(Phase.THROUGHPUT)) {
                // auth and tickets only: orders-service would consume every event on the same two cores.
                Map<String, String> offEnvironment = new LinkedHashMap<>(serviceEnv);
                offEnvironment.put("TICKETING_OUTBOX_RELAYENABLED", "false");
                progress.println("starting two stacks (auth and tickets), outbox relay on and off ...");
                try (BenchStack relayOn = start(repository, work.resolve("relay-on"), serviceEnv, AUTH, TICKETS);
                        BenchStack relayOff = start(repository, work.resolve("relay-off"), offEnvironment, AUTH,
                                TICKETS)) {
                    throughput = RelayCost.measure(relayOn, relayOff, this, progress);
                }
            }
        } finally {
            if (keepData) {
                progress.println("data dirs kept in " + work);
            } else {
                FileSystemUtils.deleteRecursively(work);
            }
        }
        String settings = f("service JVMs %s; light load %d req/s for %.0f s after %.0f s; throughput %d clients,"
                        + " %d x %.0f s per variant after %d warm-up; burst %d x %d, %d run(s) after %d warm-up"
                        + " versions; %d orders-service replica(s); MongoDB: mongo-java-server in memory, in this"
                        + " JVM%s",
                String.join(" ", StackSettings.DEFAULT_JVM_OPTIONS), rate, lightSeconds, lightWarmupSeconds, clients,
                runs, runSeconds, warmupRuns, burstTickets, burstVersions, burstRuns, burstWarmupVersions,
                ordersReplicas, serviceEnv.isEmpty() ? "" : "; service environment " + serviceEnv);
        return new Report(Figures.environment("nats-server " + natsVersion, loadBefore), settings, events,
                throughput, replica, burst);
    }

    private BenchStack start(Path repository, Path dataDir, Map<String, String> environment, String... services) {
        StackSettings.Builder settings = StackSettings.builder(repository, dataDir)
                .ordersReplicas(List.of(services).contains(ORDERS) ? ordersReplicas : 1).services(services);
        environment.forEach(settings::serviceEnvironment);
        BenchStack stack = BenchStack.start(settings);
        try (Connection connection = Nats.connect(stack.natsUrl())) {
            natsVersion = connection.getServerInfo().getVersion();
        } catch (IOException | InterruptedException e) {
            // The report's environment line shows "?".
        }
        return stack;
    }

    /** Every figure of one run with its verdict; a phase not run is null. */
    record Report(String environment, String settings, LightLoad.@Nullable Lag events,
            RelayCost.@Nullable Result throughput, LightLoad.@Nullable Lag replica,
            ReplicaBurst.@Nullable Result burst) {

        void print(PrintStream out) {
            out.println();
            out.println("== Ticketing services on the real stack (issues 4 and 5) ==");
            out.println("environment  " + environment);
            out.println("settings     " + settings);
            Table targets = new Table("targets", "", "measured", "verdict");
            if (events != null) {
                targets.row("(a) ticket.created on the bus <= 20 ms (p99) after the 201", lag(events),
                        verdict(events.meetsTarget()));
            }
            if (throughput != null) {
                targets.row("(b) POST /api/tickets, relay on / off >= 0.7", f("%.2f (%,.0f / %,.0f req/s)",
                        throughput.ratio(), throughput.onRate(), throughput.offRate()),
                        verdict(throughput.meetsTarget()));
            }
            if (replica != null) {
                targets.row("(c) ticket.updated applied to the replica <= 50 ms (p99)", lag(replica),
                        verdict(replica.meetsTarget()));
            }
            if (burst != null) {
                targets.row("(d) replica burst rate / bus delivery rate (live) >= 0.5",
                        f("%.3f (%,.0f / %,.0f events/s)", burst.ratio(), burst.replicaRate(), burst.busLiveRate()),
                        verdict(burst.meetsTarget()));
                targets.row("    the same against the bus's replay rate (delivery alone)", f("%.3f (%,.0f / %,.0f"
                        + " events/s)", burst.replayRatio(), burst.replicaRate(), burst.busReplayRate()), "(reported)");
            }
            targets.print(out);
            for (LightLoad.Lag lag : new LightLoad.Lag[] {events, replica}) {
                if (lag != null) {
                    new Table(f("%s, ms, at %d requests/s: %d recorded, %d failed, %d observed, %d negative (counted"
                            + " as 0)", lag.name(), lag.rate(), lag.requests(), lag.failures(), lag.observed(),
                            lag.negatives()), "", "p50", "p90", "p99", "p99.9", "max")
                            .row("lag after the answer", lag.lag().cells())
                            .row("HTTP latency from due time", lag.http().cells())
                            .print(out);
                }
            }
            if (throughput != null) {
                throughput.print(out);
            }
            if (burst != null) {
                burst.print(out);
            }
            out.println();
        }

        private static String lag(LightLoad.Lag lag) {
            return f("p50 %.2f / p99 %.2f / max %.2f ms (%d neg.)", lag.lag().p50(), lag.lag().p99(), lag.lag().max(),
                    lag.negatives());
        }

        private static String verdict(boolean met) {
            return met ? "MET" : "MISSED";
        }
    }
}
