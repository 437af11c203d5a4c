package dev.ticketing.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Starts one service once without and once with the start-up cache (making it first), so that the build proves the
 * benchmark still works. Only that both starts were measured and reported is asserted, never how fast.
 */
class StartupBenchmarkSmokeIntegrationTests {

    @Test
    void measuresOneServiceWithoutAndWithTheStartupCache() throws Exception {
        StartupBenchmark benchmark = new StartupBenchmark();
        // Failsafe runs in the module's directory; the checkout with the service jars is its parent.
        new CommandLine(benchmark).parseArgs("--runs=1", "--services=auth-service",
                "--repo=" + Path.of("..").toAbsolutePath().normalize());

        StartupBenchmark.Report report = benchmark.run(System.out);
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        report.print(new PrintStream(printed, true, StandardCharsets.UTF_8));
        System.out.print(printed.toString(StandardCharsets.UTF_8));

        assertThat(report.services()).singleElement().satisfies(service -> {
            assertThat(service.name()).isEqualTo("auth-service");
            assertThat(service.without()).hasSize(1);
            assertThat(service.with()).hasSize(1);
            assertThat(service.without().getFirst().seconds()).isPositive();
            assertThat(service.with().getFirst().cpuSeconds()).isPositive();
            assertThat(service.ratio()).isPositive();
        });
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("auth-service", "with/without");
    }
}
