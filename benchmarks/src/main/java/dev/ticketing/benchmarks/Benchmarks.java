package dev.ticketing.benchmarks;

import java.util.Arrays;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
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
        boolean programNamed = args.length > 0 && List.of("bus", "services", "cluster", "help", "-h", "--help",
                "-V", "--version").contains(args[0]);
        String[] arguments = programNamed ? args : prepend("bus", args);
        // jnats, Testcontainers and the stacks' process readers may leave non-daemon threads behind: leave.
        System.exit(commandLine().execute(arguments));
    }

    static CommandLine commandLine() {
        return new CommandLine(Benchmarks.class)
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setDefaultValueProvider(option -> option.isOption()
                        ? System.getProperty("bench." + ((CommandLine.Model.OptionSpec) option).longestName().substring(2))
                        : null)
                .setExecutionExceptionHandler((failure, commandLine, parsed) -> {
                    // The benchmarks' own checks throw IllegalStateException: their message says it all.
                    commandLine.getErr().println("Benchmark failed: " + (failure instanceof IllegalStateException
                            ? failure.getMessage() : failure));
                    if (!(failure instanceof IllegalStateException)) {
                        failure.printStackTrace(commandLine.getErr());
                    }
                    return 1;
                });
    }

    /** A program's options parsed from these arguments as on the command line (the smoke tests' sizes). */
    static <T> T parse(T program, String... args) {
        new CommandLine(program).setCaseInsensitiveEnumValuesAllowed(true).parseArgs(args);
        return program;
    }

    /** Rejects an option value the way picocli rejects a malformed one: the message and the usage, exit code 2. */
    static void require(CommandSpec spec, boolean condition, String message) {
        if (!condition) {
            throw new ParameterException(spec.commandLine(), message);
        }
    }

    private static String[] prepend(String first, String[] rest) {
        String[] all = Arrays.copyOf(new String[] {first}, rest.length + 1);
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }
}
