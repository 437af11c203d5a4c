package dev.ticketing.benchmarks;

import java.util.List;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;

/**
 * The jar's entry point: {@code java -jar benchmarks.jar [bus|services|cluster] [--option=value ...]}, {@code bus}
 * when no program is named. Every option can also be given as a system property {@code -Dbench.<option>=<value>}.
 */
@Command(name = "benchmarks.jar", mixinStandardHelpOptions = true,
        subcommands = {BusBenchmark.class, ServiceBenchmark.class, ClusterBenchmark.class},
        description = "Benchmark programs of the event bus and the services; bus runs when no program is named.")
public final class Benchmarks {

    private Benchmarks() {
    }

    public static void main(String[] args) {
        boolean named = args.length > 0 && List.of("bus", "services", "cluster", "-h", "--help").contains(args[0]);
        CommandLine commandLine = new CommandLine(Benchmarks.class).setCaseInsensitiveEnumValuesAllowed(true)
                .setDefaultValueProvider(option -> option instanceof OptionSpec optionSpec
                        ? System.getProperty("bench." + optionSpec.longestName().substring(2)) : null)
                .setExecutionExceptionHandler((failure, command, parsed) -> {
                    // The benchmarks' own checks throw IllegalStateException: their message says it all.
                    command.getErr().println("Benchmark failed: " + (failure instanceof IllegalStateException
                            ? failure.getMessage() : failure));
                    if (!(failure instanceof IllegalStateException)) {
                        failure.printStackTrace(command.getErr());
                    }
                    return 1;
                });
        // jnats, Testcontainers and the stacks' process readers may leave non-daemon threads behind: exit.
        System.exit(commandLine.execute(named ? args : Stream.concat(Stream.of("bus"), Stream.of(args))
                .toArray(String[]::new)));
    }

    /** Rejects an option value as picocli rejects a malformed one: the message and the usage, exit code 2. */
    static void require(CommandSpec spec, boolean condition, String message) {
        if (!condition) {
            throw new ParameterException(spec.commandLine(), message);
        }
    }
}
