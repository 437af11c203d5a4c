package dev.ticketing.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ticketing.benchmarks.Figures.Percentiles;
import dev.ticketing.benchmarks.Figures.Runs;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Runs every phase of the cluster benchmark with tiny sizes on real nats-server processes, so that the build
 * proves it still works. Only that each phase ran and reported a figure is asserted, never speed or time.
 */
class ClusterBenchmarkSmokeIntegrationTests {

    @Test
    void measuresRecoveryReplicasAndANodeDown() throws Exception {
        ClusterBenchmark benchmark = new ClusterBenchmark();
        new CommandLine(benchmark).parseArgs("--repetitions=1", "--checkInterval=1",
                "--messages=2000", "--runs=1", "--warmupRuns=0", "--latencySeconds=0.5", "--latencyWarmupSeconds=0.2");

        ClusterBenchmark.Report report = benchmark.run(System.out);
        report.print(System.out);

        assertThat(report.recoveries()).hasSize(1).allSatisfy(recovery -> assertThat(recovery).isPositive());
        for (Runs phase : new Runs[] {report.r1(), report.r3()}) {
            assertThat(phase.runs()).as(phase.name()).hasSize(1).allSatisfy(run -> {
                assertThat(run.messages()).isEqualTo(2000);
                assertThat(run.incomplete()).as("failed publishes").isZero();
                assertThat(run.perSecond()).isPositive();
            });
        }
        assertThat(report.latency()).hasSize(4).allSatisfy(latency -> {
            assertThat(latency.received()).as(latency.name() + " events received").isEqualTo(latency.expected());
            Percentiles percentiles = latency.fromDue();
            assertThat(percentiles.p50()).isPositive();
            assertThat(percentiles.p99()).isGreaterThanOrEqualTo(percentiles.p50());
            assertThat(percentiles.max()).isGreaterThanOrEqualTo(percentiles.p99());
        });
    }
}
