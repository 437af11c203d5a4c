package dev.ticketing.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ticketing.benchmarks.Figures.Percentiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Runs every phase of the service benchmark with tiny sizes on the real stack (the service jars as processes,
 * a real nats-server, a MongoDB-compatible server), so that the build proves the benchmark still works. Only
 * sanity is asserted, never speed: this machine is shared and small.
 */
class ServiceBenchmarkSmokeIntegrationTests {

    @Test
    void measuresEveryPhaseOnTheRealStack() throws Exception {
        long workDirsBefore = workDirs();
        // Failsafe runs in the module's directory; the checkout with the service jars is its parent.
        ServiceBenchmark benchmark = new ServiceBenchmark();
        new CommandLine(benchmark).setCaseInsensitiveEnumValuesAllowed(true).parseArgs("--lightSeconds=1",
                "--lightWarmupSeconds=0", "--replicaTickets=5", "--clients=2", "--runSeconds=1", "--runs=1",
                "--warmupRuns=0", "--burstTickets=5", "--burstVersions=10", "--burstRuns=1", "--burstWarmupVersions=0",
                "--ordersReplicas=1", "--repo=" + Path.of("..").toAbsolutePath().normalize());

        ServiceBenchmark.Report report = benchmark.run(System.out);
        report.print(System.out);

        for (LightLoad.Lag lag : new LightLoad.Lag[] {report.events(), report.replica()}) {
            assertThat(lag).isNotNull();
            assertThat(lag.requests()).isEqualTo(20);
            assertThat(lag.failures()).as(lag.name() + ": failed requests").isZero();
            assertThat(lag.observed()).as(lag.name() + ": effects observed").isEqualTo(lag.requests());
            assertThat(lag.negatives()).isBetween(0, lag.observed());
            for (Percentiles percentiles : new Percentiles[] {lag.lag(), lag.http()}) {
                assertThat(percentiles.p50()).isNotNegative();
                assertThat(percentiles.p99()).isGreaterThanOrEqualTo(percentiles.p50());
                assertThat(percentiles.max()).isGreaterThanOrEqualTo(percentiles.p99());
            }
            assertThat(lag.http().p50()).isPositive();
        }

        RelayCost.Result throughput = report.throughput();
        assertThat(throughput).isNotNull();
        assertThat(throughput.on()).hasSize(1).allSatisfy(run -> {
            assertThat(run.relay()).isTrue();
            assertThat(run.perSecond()).isPositive();
        });
        assertThat(throughput.off()).hasSize(1).allSatisfy(run -> {
            assertThat(run.relay()).isFalse();
            assertThat(run.perSecond()).isPositive();
        });
        assertThat(throughput.failures()).as("failed requests").isZero();
        assertThat(throughput.ratio()).isPositive();

        ReplicaBurst.Result burst = report.burst();
        assertThat(burst).isNotNull();
        assertThat(burst.runs()).hasSize(1).allSatisfy(run -> {
            assertThat(run.events()).isEqualTo(50);
            assertThat(run.deliveries()).as("deliveries to orders-service").isGreaterThanOrEqualTo(run.events());
            assertThat(run.reached()).as("seconds to 50, 90, 99, 100 % applied").isSorted();
            assertThat(run.replicaRate()).isPositive();
            assertThat(run.busLiveRate()).isPositive();
            assertThat(run.busReplayRate()).isPositive();
        });
        assertThat(burst.ratio()).isPositive();
        assertThat(burst.replayRatio()).isPositive();

        assertThat(workDirs()).as("temporary data dirs left behind").isEqualTo(workDirsBefore);
    }

    private static long workDirs() throws IOException {
        try (Stream<Path> entries = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return entries.filter(path -> path.getFileName().toString().startsWith("ticketing-service-bench-")).count();
        }
    }
}
