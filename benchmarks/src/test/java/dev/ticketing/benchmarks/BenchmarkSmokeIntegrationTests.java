package dev.ticketing.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ticketing.testsupport.NatsServer;
import dev.ticketing.testsupport.TestServers;
import org.junit.jupiter.api.Test;

/**
 * Runs every phase of the benchmark with tiny sizes against a real nats-server, so that the build proves the
 * benchmark still works. Speed is never asserted: this machine is shared and small.
 */
class BenchmarkSmokeIntegrationTests {

    @Test
    void measuresEveryPhaseAgainstARealServer() throws Exception {
        BenchmarkOptions options = BenchmarkOptions.smoke();
        try (NatsServer server = TestServers.dedicatedNats()) {
            BenchmarkReport report = BusBenchmark.run(server.url(), "smoke test", options, System.out);
            report.print(System.out);

            assertThat(report.throughputPhases()).hasSize(5).allSatisfy(phase -> assertThat(phase.runs())
                    .as(phase.name())
                    .hasSize(options.runs())
                    .allSatisfy(run -> {
                        assertThat(run.messages()).isEqualTo(options.messages());
                        assertThat(run.incomplete()).as("failed publishes or unacknowledged messages").isZero();
                        assertThat(run.perSecond()).isPositive();
                    }));
            assertThat(report.publishRatio()).isPositive();
            assertThat(report.consumeRatio()).isPositive();
            for (LatencyResult latency : new LatencyResult[] {report.rawLatency(), report.libraryLatency()}) {
                assertThat(latency.expected()).isEqualTo(options.latencyEvents());
                assertThat(latency.received()).as(latency.name() + " events received").isEqualTo(latency.expected());
                for (Percentiles percentiles : new Percentiles[] {latency.fromIntended(), latency.fromSend()}) {
                    assertThat(percentiles.p50()).isPositive();
                    assertThat(percentiles.p99()).isGreaterThanOrEqualTo(percentiles.p50());
                    assertThat(percentiles.max()).isGreaterThanOrEqualTo(percentiles.p99());
                }
            }
        }
    }
}
