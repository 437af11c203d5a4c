package dev.ticketing.benchmarks;

import com.sun.management.OperatingSystemMXBean;
import dev.ticketing.benchmarks.ServiceOptions.Phase;
import dev.ticketing.localstack.StackSettings;
import io.nats.client.Connection;
import io.nats.client.Nats;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * The event paths of the services on the real stack, against the Speed targets of issues 4 and 5: (a) how soon
 * a new ticket's event is on the bus after the HTTP answer, (b) what publishing costs the create route's
 * throughput, (c) how soon an edit reaches the orders replica, (d) how fast the replica absorbs a burst compared
 * with what the bus delivers. The services run as their Spring Boot jars through {@code local-stack}, each stack
 * with its own nats-server and a MongoDB-compatible server this program owns; everything is on loopback and is
 * stopped and removed at the end.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar services [rate=20] [runs=4] ...</pre>
 */
public final class ServiceBenchmark {

    private static final String PASSWORD = "benchmark-password";

    private final ServiceOptions options;
    private final PrintStream progress;
    private final Path repository;
    private final Path work;
    private final Path ingress;
    /** One key for every stack, so a session made on one is honoured by all. */
    private final String jwtKey = randomKey();
    private final List<String> jvmOptions;
    /** Set by the first stack to start; two may start at once, hence volatile (they report the same version). */
    private volatile String natsVersion = "?";

    private ServiceBenchmark(ServiceOptions options, PrintStream progress, Path repository, Path work)
            throws IOException {
        this.options = options;
        this.progress = progress;
        this.repository = repository;
        this.work = work;
        this.ingress = repository.resolve("infra").resolve("k8s");
        this.jvmOptions = jvmOptions(options);
    }

    public static void main(String[] args) {
        Benchmarks.launch(args, arguments -> ServiceOptions.parse(arguments, System.getProperties()),
                options -> run(options, System.out).print(System.out));
    }

    /** Starts the stacks the phases need, runs the phases, stops everything and returns the figures. */
    static ServiceReport run(ServiceOptions options, PrintStream progress) throws Exception {
        Path repository = options.repository() != null ? options.repository().toAbsolutePath().normalize()
                : StackSettings.repositoryRootAbove(Path.of("").toAbsolutePath());
        Path work = Files.createTempDirectory("ticketing-service-bench-");
        try {
            return new ServiceBenchmark(options, progress, repository, work).run();
        } finally {
            if (options.keepData()) {
                progress.println("data dirs kept in " + work);
            } else {
                deleteRecursively(work);
            }
        }
    }

    private ServiceReport run() throws Exception {
        double loadBefore = CpuClock.loadAverage();
        LagResult events = null;
        LagResult replica = null;
        BurstResult burst = null;
        RelayCostResult throughput = null;
        if (options.runs(Phase.EVENTS) || options.runs(Phase.REPLICA) || options.runs(Phase.BURST)) {
            progress.printf(Locale.ROOT, "starting the stack (edge, nats-server, MongoDB, auth, tickets, %d orders) ...%n",
                    options.ordersReplicas());
            try (BenchStack stack = start("full", repository, options.ordersReplicas(), options.serviceEnvironment())) {
                EdgeHttp http = new EdgeHttp(stack.edge());
                String cookie = http.signUp("bench-" + System.nanoTime() + "@example.com", PASSWORD);
                List<String> tickets = List.of();
                if (options.runs(Phase.EVENTS)) {
                    EventLag.Outcome outcome = EventLag.measure(stack, http, cookie, options, progress);
                    events = outcome.result();
                    tickets = outcome.ticketIds();
                }
                if (options.runs(Phase.REPLICA)) {
                    replica = ReplicaLag.measure(stack, http, cookie,
                            ticketsForEdits(http, cookie, tickets, options.replicaTickets()), options, progress);
                }
                if (options.runs(Phase.BURST)) {
                    burst = ReplicaBurst.measure(stack, http, cookie, options, progress);
                }
            }
        }
        if (options.runs(Phase.THROUGHPUT)) {
            throughput = throughput();
        }
        String environment = String.format(Locale.ROOT, "nats-server %s, JDK %s, %d CPUs, %d MiB RAM, load average %.1f"
                        + " before / %.1f after", natsVersion, Runtime.version(), Runtime.getRuntime().availableProcessors(),
                totalMemoryMiB(), loadBefore, CpuClock.loadAverage());
        String settings = String.format(Locale.ROOT, "service JVMs %s; light load %d req/s for %.0f s after %.0f s;"
                        + " throughput %d clients, %d x %.0f s per variant after %d warm-up; burst %d x %d, %d run(s)"
                        + " after %d warm-up versions; %d orders-service replica(s); MongoDB: mongo-java-server in memory,"
                        + " in this JVM%s", String.join(" ", jvmOptions), options.rate(),
                options.lightDuration().toMillis() / 1000.0, options.lightWarmup().toMillis() / 1000.0,
                options.clients(), options.runs(), options.runDuration().toMillis() / 1000.0, options.warmupRuns(),
                options.burstTickets(), options.burstVersions(), options.burstRuns(), options.burstWarmupVersions(),
                options.ordersReplicas(), options.serviceEnvironment().isEmpty() ? ""
                        : "; service environment " + options.serviceEnvironment());
        return new ServiceReport(environment, settings, events, throughput, replica, burst);
    }

    /**
     * Two stacks side by side with auth and tickets only (see {@link CheckoutView}), one with the outbox relay
     * on and one with it off. Started at once: nothing is measured while they start.
     */
    private RelayCostResult throughput() throws Exception {
        Path checkout = CheckoutView.create(repository, work.resolve("checkout"),
                List.of(BenchStack.AUTH, BenchStack.TICKETS));
        Map<String, String> offEnvironment = new LinkedHashMap<>(options.serviceEnvironment());
        offEnvironment.put("TICKETING_OUTBOX_RELAYENABLED", "false");
        progress.println("starting two stacks (edge, nats-server, MongoDB, auth, tickets), outbox relay on and off ...");
        Future<BenchStack> on;
        Future<BenchStack> off;
        try (ExecutorService starters = Executors.newVirtualThreadPerTaskExecutor()) {
            on = starters.submit(() -> start("relay-on", checkout, 1, options.serviceEnvironment()));
            off = starters.submit(() -> start("relay-off", checkout, 1, offEnvironment));
        }
        // Both starts have ended here (the executor's close waits): close whichever came up if the other failed.
        try (BenchStack relayOn = started(on, off); BenchStack relayOff = started(off, null)) {
            String cookie = new EdgeHttp(relayOn.edge()).signUp("bench-" + System.nanoTime() + "@example.com", PASSWORD);
            return RelayCost.measure(relayOn, relayOff, cookie, options, progress);
        }
    }

    /** The stack a finished start made; if it failed, {@code other} (if it came up) is closed before rethrowing. */
    private static BenchStack started(Future<BenchStack> start, @Nullable Future<BenchStack> other)
            throws InterruptedException {
        try {
            return start.get();
        } catch (ExecutionException e) {
            if (other != null && other.state() == Future.State.SUCCESS) {
                other.resultNow().close();
            }
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private BenchStack start(String name, Path checkout, int ordersReplicas, Map<String, String> environment) {
        BenchStack stack = BenchStack.start(name, checkout, ingress, work.resolve(name), jwtKey, ordersReplicas,
                jvmOptions, environment);
        if ("?".equals(natsVersion)) {
            natsVersion = serverVersion(stack);
        }
        if (options.jfrDir() != null) {
            for (String service : List.of(BenchStack.AUTH, BenchStack.TICKETS, BenchStack.ORDERS)) {
                stack.pidsIfRunning(service).forEach(pid -> progress.printf(Locale.ROOT, "JFR: %s %s -> %s%n", name,
                        service, options.jfrDir().toAbsolutePath().resolve("service-" + pid + ".jfr")));
            }
        }
        return stack;
    }

    /** The replica phase's tickets: those the events phase made, or new ones when it did not run. */
    private static List<String> ticketsForEdits(EdgeHttp http, String cookie, List<String> made, int wanted) {
        List<String> tickets = new ArrayList<>(made.subList(0, Math.min(wanted, made.size())));
        while (tickets.size() < wanted) {
            EdgeHttp.Answer answer = http.createTicket(cookie, "Edited later " + tickets.size(), "30");
            if (answer.status() != 201) {
                throw new IllegalStateException("POST /api/tickets answered " + answer.status() + ": " + answer.body());
            }
            tickets.add(answer.ticket().id());
        }
        return tickets;
    }

    private static List<String> jvmOptions(ServiceOptions options) throws IOException {
        List<String> jvm = new ArrayList<>(StackSettings.DEFAULT_JVM_OPTIONS);
        if (options.jfrDir() != null) {
            Path dir = Files.createDirectories(options.jfrDir().toAbsolutePath());
            // %p: one file per process, named by its pid; written when the service stops.
            jvm.add("-XX:StartFlightRecording=settings=profile,dumponexit=true,filename=" + dir.resolve("service-%p.jfr"));
        }
        return jvm;
    }

    private static String serverVersion(BenchStack stack) {
        try (Connection connection = Nats.connect(stack.natsUrl())) {
            return connection.getServerInfo().getVersion();
        } catch (Exception e) {
            return "?";
        }
    }

    private static long totalMemoryMiB() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof OperatingSystemMXBean os
                ? os.getTotalMemorySize() >> 20 : -1;
    }

    private static String randomKey() {
        byte[] key = new byte[48];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot remove " + root, e);
        }
    }
}
