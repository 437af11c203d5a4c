package dev.ticketing.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ticketing.benchmarks.Figures.Latency;
import dev.ticketing.benchmarks.Figures.Percentiles;
import dev.ticketing.testsupport.NatsServer;
import dev.ticketing.testsupport.TestServers;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Runs every phase of the benchmark with tiny sizes against a real nats-server, so that the build proves the
 * benchmark still works. Speed is never asserted: this machine is shared and small.
 */
class BenchmarkSmokeIntegrationTests {

    @Test
    void measuresEveryPhaseAgainstARealServer() throws Exception {
        BusBenchmark benchmark = new BusBenchmark();
        new CommandLine(benchmark).parseArgs("--messages=2000", "--runs=1", "--warmupRuns=1",
                "--latencySeconds=1", "--latencyWarmupSeconds=0.2");
        try (NatsServer server = TestServers.dedicatedNats()) {
            BusBenchmark.Report report = benchmark.run(server.url(), "smoke test", System.out);
            report.print(System.out);

            assertThat(report.throughput()).hasSize(6).allSatisfy(phase -> assertThat(phase.runs())
                    .as(phase.name())
                    .hasSize(1)
                    .allSatisfy(run -> {
                        assertThat(run.messages()).isEqualTo(2000);
                        assertThat(run.incomplete()).as("failed publishes or unacknowledged messages").isZero();
                        assertThat(run.perSecond()).isPositive();
                    }));
            assertThat(report.publishRatio()).isPositive();
            assertThat(report.consumeRatio()).isPositive();
            for (Latency latency : new Latency[] {report.rawLatency(), report.libraryLatency()}) {
                assertThat(latency.expected()).isEqualTo(1000);
                assertThat(latency.received()).as(latency.name() + " events received").isEqualTo(latency.expected());
                for (Percentiles percentiles : new Percentiles[] {latency.fromDue(), latency.fromSend()}) {
                    assertThat(percentiles.p50()).isPositive();
                    assertThat(percentiles.p99()).isGreaterThanOrEqualTo(percentiles.p50());
                    assertThat(percentiles.max()).isGreaterThanOrEqualTo(percentiles.p99());
                }
            }
        }
    }
}
