package dev.ticketing.benchmarks;

import static dev.ticketing.benchmarks.Figures.f;

import dev.ticketing.benchmarks.Figures.Table;
import dev.ticketing.localstack.ServiceReplica;
import dev.ticketing.localstack.StackSettings;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import org.springframework.util.FileSystemUtils;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Issue 15's start-up figures: each service started {@code --runs} times without the start-up cache ({@code java
 * -jar}, as before) and with it (its extracted jar and the AOT cache local-stack makes), in pairs, each alone on a
 * stack of its own (nats-server, an in-memory MongoDB). Time to ready: process start to the first 200 from
 * {@code /actuator/health/readiness}, as the launcher measures it; CPU: the process's CPU time read right after.
 */
@Command(name = "startup", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "Each service's time and CPU to ready, without and with the start-up cache (issue 15).")
final class StartupBenchmark implements Callable<Integer> {

    @Option(names = "--runs", defaultValue = "5", description = "starts per service and variant") int runs;
    @Option(names = "--services", split = ",", defaultValue = "auth-service,tickets-service,orders-service,"
            + "payments-service,client", description = "the services to start") List<String> services = List.of();
    @Option(names = "--keepData", arity = "0..1", fallbackValue = "true",
            description = "keep the data dir (and its caches)")
    boolean keepData;
    @Option(names = "--repo", description = "the checkout with the built jars (default: above the working directory)")
    @Nullable Path repo;

    @Override
    public Integer call() throws Exception {
        run(System.out).print(System.out);
        return 0;
    }

    Report run(PrintStream progress) throws Exception {
        Path repository = repo != null ? repo.toAbsolutePath().normalize()
                : StackSettings.repositoryRootAbove(Path.of("").toAbsolutePath());
        Path work = Files.createTempDirectory("ticketing-startup-bench-");
        double loadBefore = Figures.loadAverage();
        List<Service> measured = new ArrayList<>();
        try {
            for (String service : services) {
                List<Start> without = new ArrayList<>();
                List<Start> with = new ArrayList<>();
                // The first start with the cache makes it (a training run, not timed: only the service's own start is).
                for (int run = 1; run <= runs; run++) {
                    without.add(start(repository, work, service, false));
                    with.add(start(repository, work, service, true));
                    progress.println(f("%s run %d/%d: without %s, with %s", service, run, runs, without.getLast(),
                            with.getLast()));
                }
                measured.add(new Service(service, without, with));
            }
        } finally {
            if (keepData) {
                progress.println("data dir kept in " + work);
            } else {
                FileSystemUtils.deleteRecursively(work);
            }
        }
        return new Report(Figures.environment("nats-server", loadBefore), f("service JVMs %s; %d start(s) per service "
                + "and variant, paired", String.join(" ", StackSettings.DEFAULT_JVM_OPTIONS), runs), measured);
    }

    /** One service alone, on one data dir for every start: its cache is made once and kept. */
    private static Start start(Path repository, Path work, String service, boolean cached) {
        try (BenchStack stack = BenchStack.start(StackSettings.builder(repository, work.resolve("data"))
                .services(service).startupCache(cached))) {
            ServiceReplica replica = stack.stack().service(service).replicas().getFirst();
            Duration cpu = ProcessHandle.of(replica.pid()).flatMap(process -> process.info().totalCpuDuration())
                    .orElse(Duration.ZERO);
            return new Start(Objects.requireNonNull(replica.startupTime()).toNanos() / 1e9, cpu.toNanos() / 1e9);
        }
    }

    /** Seconds from process start to ready, and the CPU seconds it spent until then. */
    record Start(double seconds, double cpuSeconds) {

        @Override
        public String toString() {
            return f("%.2f s (CPU %.2f s)", seconds, cpuSeconds);
        }
    }

    record Service(String name, List<Start> without, List<Start> with) {

        double ratio() {
            return Figures.ratio(Figures.median(with, Start::seconds), Figures.median(without, Start::seconds));
        }

        double cpuRatio() {
            return Figures.ratio(Figures.median(with, Start::cpuSeconds), Figures.median(without, Start::cpuSeconds));
        }
    }

    record Report(String environment, String settings, List<Service> services) {

        void print(PrintStream out) {
            out.println();
            out.println("== Service start-up without and with the start-up cache (issue 15) ==");
            out.println("environment  " + environment);
            out.println("settings     " + settings);
            Table table = new Table("medians; ready = first 200 from /actuator/health/readiness after process start",
                    "service", "ready without", "ready with", "with/without", "CPU without", "CPU with",
                    "with/without");
            for (Service service : services) {
                table.row(service.name(), f("%.2f s", Figures.median(service.without(), Start::seconds)),
                        f("%.2f s", Figures.median(service.with(), Start::seconds)), f("%.2f", service.ratio()),
                        f("%.2f s", Figures.median(service.without(), Start::cpuSeconds)),
                        f("%.2f s", Figures.median(service.with(), Start::cpuSeconds)), f("%.2f", service.cpuRatio()));
            }
            table.print(out);
            out.println();
        }
    }
}
