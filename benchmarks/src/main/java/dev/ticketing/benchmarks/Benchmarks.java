package dev.ticketing.benchmarks;

import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;

/**
 * The jar's entry point: {@code java -jar benchmarks.jar [bus|services|cluster|startup] [--option=value ...]},
 * {@code bus} when no program is named. Every option can also be given as a system property {@code -Dbench.<option>=<value>}.
 */
@Command(name = "benchmarks.jar", mixinStandardHelpOptions = true,
        subcommands = {BusBenchmark.class, ServiceBenchmark.class, ClusterBenchmark.class,
            StartupBenchmark.class},
        description = "Benchmark programs of the event bus and the services; bus runs when no program is named.")
public final class Benchmarks {

    public static void main(String[] args) {
        boolean named = args.length > 0
                && List.of("bus", "services", "cluster", "startup", "-h", "--help").contains(args[0]);
        CommandLine commandLine = new CommandLine(Benchmarks.class).setCaseInsensitiveEnumValuesAllowed(true)
                .setDefaultValueProvider(option -> option instanceof OptionSpec optionSpec
                        ? System.getProperty("bench." + optionSpec.longestName().substring(2)) : null)
                .setExecutionStrategy(parsed -> {
                    requirePositiveSizes(parsed.asCommandLineList().getLast());
                    return new CommandLine.RunLast().execute(parsed);
                })
                .setExecutionExceptionHandler((failure, command, parsed) -> {
                    // The benchmarks' checks, and the bus's and the stack's checks of a size, say it all.
                    boolean refused = failure instanceof IllegalStateException
                            || failure instanceof IllegalArgumentException;
                    command.getErr().println("Benchmark failed: " + (refused ? failure.getMessage() : failure));
                    if (!refused) {
                        failure.printStackTrace(command.getErr());
                    }
                    return 1;
                });
        // jnats, Testcontainers and the stacks' process readers may leave non-daemon threads behind: exit.
        System.exit(commandLine.execute(named ? args : Stream.concat(Stream.of("bus"), Stream.of(args))
                .toArray(String[]::new)));
    }

    /** Every size must be positive, a warm-up at least 0: rejected as picocli rejects a malformed value (exit 2). */
    private static void requirePositiveSizes(CommandLine program) {
        for (OptionSpec option : program.getCommandSpec().options()) {
            boolean warmup = option.longestName().toLowerCase(Locale.ROOT).contains("warmup");
            double size = option.getValue() instanceof Number number ? number.doubleValue() : 1;
            if (size < 0 || size == 0 && !warmup) {
                throw new ParameterException(program, option.longestName() + (warmup ? " may not be negative"
                        : " must be positive"));
            }
        }
    }
}
