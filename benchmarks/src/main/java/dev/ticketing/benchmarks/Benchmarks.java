package dev.ticketing.benchmarks;

import java.util.Arrays;

/**
 * The jar's entry point. One jar, three programs: {@code java -jar benchmarks.jar [name=value ...]} runs
 * {@link BusBenchmark} exactly as before, {@code java -jar benchmarks.jar services [name=value ...]} runs
 * {@link ServiceBenchmark}, {@code cluster} runs {@link ClusterBenchmark} ({@code bus} is accepted too, for
 * symmetry).
 */
public final class Benchmarks {

    private Benchmarks() {
    }

    public static void main(String[] args) {
        String first = args.length == 0 ? "" : args[0];
        String[] rest = args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length);
        switch (first) {
            case "services" -> ServiceBenchmark.main(rest);
            case "cluster" -> ClusterBenchmark.main(rest);
            case "bus" -> BusBenchmark.main(rest);
            default -> BusBenchmark.main(args);
        }
    }
}
