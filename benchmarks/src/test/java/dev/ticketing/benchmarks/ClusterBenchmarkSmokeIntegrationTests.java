package dev.ticketing.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Runs every phase of the cluster benchmark with tiny sizes on real nats-server processes, so that the build
 * proves it still works. Only that each phase ran and reported a figure is asserted, never speed or time.
 */
class ClusterBenchmarkSmokeIntegrationTests {

    @Test
    void measuresRecoveryReplicasAndANodeDown() throws Exception {
        ClusterBenchmark.Options options = ClusterBenchmark.Options.smoke();

        ClusterBenchmark.Report report = ClusterBenchmark.run(options, System.out);
        report.print(System.out);

        assertThat(report.recoveries()).hasSize(options.repetitions()).allSatisfy(recovery -> assertThat(recovery).isPositive());
        for (ThroughputPhase phase : new ThroughputPhase[] {report.r1(), report.r3()}) {
            assertThat(phase.runs()).as(phase.name()).hasSize(options.runs()).allSatisfy(run -> {
                assertThat(run.messages()).isEqualTo(options.messages());
                assertThat(run.incomplete()).as("failed publishes").isZero();
                assertThat(run.perSecond()).isPositive();
            });
        }
        assertThat(report.latency()).hasSize(4).allSatisfy(latency -> {
            assertThat(latency.received()).as(latency.name() + " events received").isEqualTo(latency.expected());
            Percentiles percentiles = latency.fromIntended();
            assertThat(percentiles.p50()).isPositive();
            assertThat(percentiles.p99()).isGreaterThanOrEqualTo(percentiles.p50());
            assertThat(percentiles.max()).isGreaterThanOrEqualTo(percentiles.p99());
        });
    }
}
