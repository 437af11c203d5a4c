package dev.ticketing.systemtests;

import dev.ticketing.localstack.LocalStack;
import dev.ticketing.localstack.ServiceReplica;
import dev.ticketing.localstack.StackSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Measures the figures system-tests/README.md publishes, on a stack started as the tests start it (two
 * orders-service replicas), services started one after another so that each start-up is timed alone:
 * start-up time and resident memory of each service, the concurrency experiment's convergence, and
 * {@code POST /api/tickets} throughput at 16 clients through the edge. Loopback only, bounded in time
 * (about three minutes); prints Markdown and writes it to {@code system-tests/target/figures.md}.
 *
 * <pre>java -jar system-tests/target/system-tests-0.1.0-SNAPSHOT.jar [load seconds, default 30]</pre>
 */
public final class Figures {

    private static final int CLIENTS = 16;
    private static final Pattern SPRING_STARTED = Pattern.compile("Started \\w+ in ([\\d.]+) seconds");

    private Figures() {
    }

    public static void main(String[] args) throws IOException {
        Duration load = Duration.ofSeconds(args.length > 0 ? Long.parseLong(args[0]) : 30);
        String loadBefore = loadAverage();
        Path root = StackSettings.repositoryRootAbove(Path.of(""));
        Path dataDir = Files.createTempDirectory("ticketing-figures-");
        List<String> report = new ArrayList<>();
        try (LocalStack stack = LocalStack.start(StackSettings.builder(root, dataDir)
                .port(0)
                .ordersReplicas(2)
                .parallelStart(false)
                .build())) {
            EdgeClient edge = new EdgeClient(stack.edgeUri());
            Map<String, String> idle = memory(stack);
            report.add("## Start-up and memory");
            report.add("");
            report.add("Services started one after another (no other component of the stack starting meanwhile). "
                    + "Start-up = process start to the "
                    + "first 200 from `/actuator/health/readiness`; Spring = the application's own `Started ... in`. "
                    + "RSS = VmRSS from `/proc/<pid>/status`.");
            report.add("");
            report.add("| component | start-up | Spring | RSS idle | RSS after load |");
            report.add("|---|---|---|---|---|");

            String run = UUID.randomUUID().toString().substring(0, 8);
            ConcurrencyExperiment.Result experiment = new ConcurrencyExperiment(edge,
                    edge.signUp("seller-" + run + "@example.com", "password"),
                    edge.signUp("buyer-" + run + "@example.com", "password"), 200, CLIENTS, Duration.ofMinutes(2))
                    .run();

            User loader = edge.signUp("load-" + run + "@example.com", "password");
            TicketLoad throughEdge = new TicketLoad(stack.edgeUri(), loader, CLIENTS);
            throughEdge.run(Duration.ofSeconds(10));
            LoadResult result = throughEdge.run(load);
            // The same load straight at tickets-service's port: what the edge's hop costs.
            LoadResult direct = new TicketLoad(stack.service("tickets-service").replicas().getFirst().baseUri(), loader,
                    CLIENTS).run(load);
            Map<String, String> loaded = memory(stack);

            for (ServiceReplica replica : replicas(stack)) {
                report.add(String.format("| %s | %.1f s | %s | %s | %s |", replica.component(),
                        replica.startupTime().toMillis() / 1000.0, springStartup(dataDir, replica.component()),
                        idle.get(replica.component()), loaded.get(replica.component())));
            }
            for (String other : List.of("nats-server", "launcher JVM (edge, embedded MongoDB, this program)")) {
                report.add(String.format("| %s | | | %s | %s |", other, idle.get(other), loaded.get(other)));
            }
            report.add("");
            report.add("## POST /api/tickets through the edge");
            report.add("");
            report.add("| path | tool | clients | duration | requests/s | p50 | p90 | p99 | not 201 |");
            report.add("|---|---|---|---|---|---|---|---|---|");
            report.add(row("through the edge (after a 10 s warm-up)", result));
            report.add(row("straight to tickets-service (for comparison)", direct));
            report.add("");
            report.add("## The concurrency experiment (2 orders-service replicas)");
            report.add("");
            report.add(experiment.summary() + ".");
        } finally {
            delete(dataDir);
        }
        report.addFirst("");
        // Other work on the machine skews every figure: say how busy it was.
        report.addFirst("Load average (1, 5, 15 min) before: " + loadBefore + "; after: " + loadAverage() + ".");
        report.addFirst("");
        report.addFirst("# Figures, " + LocalDate.now() + ", " + Runtime.getRuntime().availableProcessors() + " cores, "
                + "Java " + Runtime.version());
        String markdown = String.join(System.lineSeparator(), report) + System.lineSeparator();
        System.out.print(markdown);
        Path out = root.resolve("system-tests").resolve("target").resolve("figures.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, markdown, StandardCharsets.UTF_8);
    }

    private static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return fields[0] + ", " + fields[1] + ", " + fields[2];
        } catch (IOException | ArrayIndexOutOfBoundsException e) {
            return "n/a";
        }
    }

    private static String row(String path, LoadResult result) {
        return String.format("| %s | %s | %d | %.0f s | **%.0f** | %.1f ms | %.1f ms | %.1f ms | %d |", path, result.tool(),
                result.clients(), result.seconds(), result.requestsPerSecond(), result.p50(), result.p90(), result.p99(),
                result.failures());
    }

    private static List<ServiceReplica> replicas(LocalStack stack) {
        return stack.services().stream().flatMap(group -> group.replicas().stream()).toList();
    }

    private static Map<String, String> memory(LocalStack stack) {
        Map<String, String> memory = new LinkedHashMap<>();
        for (ServiceReplica replica : replicas(stack)) {
            memory.put(replica.component(), mebibytes(residentMemory(replica.pid())));
        }
        memory.put("nats-server", stack.nats().pid().stream().mapToObj(Figures::residentMemory).findFirst()
                .map(Figures::mebibytes).orElse("n/a"));
        memory.put("launcher JVM (edge, embedded MongoDB, this program)",
                mebibytes(residentMemory(ProcessHandle.current().pid())));
        return memory;
    }

    /** VmRSS from {@code /proc/<pid>/status}, where there is a {@code /proc}. */
    private static OptionalLong residentMemory(long pid) {
        try {
            return Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"), StandardCharsets.UTF_8).stream()
                    .filter(line -> line.startsWith("VmRSS:"))
                    .mapToLong(line -> Long.parseLong(line.substring("VmRSS:".length()).replace("kB", "").trim()) * 1024)
                    .findFirst();
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    private static String mebibytes(OptionalLong bytes) {
        return bytes.isPresent() ? String.format("%d MiB", bytes.getAsLong() / (1024 * 1024)) : "n/a";
    }

    private static String springStartup(Path dataDir, String component) {
        try {
            Matcher matcher = SPRING_STARTED.matcher(Files.readString(dataDir.resolve("logs").resolve(component + ".log")));
            return matcher.find() ? matcher.group(1) + " s" : "n/a";
        } catch (IOException e) {
            return "n/a";
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete " + dir, e);
        }
    }
}
