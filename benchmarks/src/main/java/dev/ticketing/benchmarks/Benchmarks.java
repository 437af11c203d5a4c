package dev.ticketing.benchmarks;

import java.util.Arrays;
import java.util.function.Function;

/**
 * The jar's entry point. One jar, three programs: {@code java -jar benchmarks.jar [name=value ...]} runs
 * {@link BusBenchmark} exactly as before, {@code java -jar benchmarks.jar services [name=value ...]} runs
 * {@link ServiceBenchmark}, {@code cluster} runs {@link ClusterBenchmark} ({@code bus} is accepted too, for
 * symmetry).
 */
public final class Benchmarks {

    private Benchmarks() {
    }

    /** One program's run, from its parsed options to its printed report. */
    @FunctionalInterface
    interface Program<O> {
        void run(O options) throws Exception;
    }

    /**
     * Runs a program the same way for all three: bad options print the usage and exit 2; a failure exits 1 (the
     * benchmark's own checks, thrown as {@link IllegalStateException}, with their message alone); success exits 0.
     */
    static <O> void launch(String[] args, Function<String[], O> parse, Program<O> program) {
        O options;
        try {
            options = parse.apply(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        int status = 0;
        try {
            program.run(options);
        } catch (IllegalStateException e) {
            System.err.println("Benchmark failed: " + e.getMessage());
            status = 1;
        } catch (Exception e) {
            System.err.println("Benchmark failed: " + e);
            e.printStackTrace();
            status = 1;
        }
        // jnats, Testcontainers and the stacks' process readers may leave non-daemon threads behind; the figures
        // are printed, so leave.
        System.exit(status);
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
