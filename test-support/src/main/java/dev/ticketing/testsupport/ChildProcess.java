package dev.ticketing.testsupport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A process of ours (nats-server, a service JVM) that can be started again after it stops. It runs in a session
 * of its own, so Ctrl-C in a terminal reaches only us and we stop children in order, and the kernel kills it the
 * moment this JVM ends, however it ends, even by SIGKILL (util-linux {@code setpriv --pdeathsig}, where it exists).
 * Its output goes line by line to its log file and its {@link Reporter}; the last lines are kept for error messages.
 */
public final class ChildProcess {

    /** Where launched processes report: status lines of the launcher, and each line a child prints. */
    @FunctionalInterface
    public interface Reporter {

        void status(String message);

        default void output(String child, String line) {
        }
    }

    private static final int TAIL = 30;
    private static final Pattern STACK_FRAME = Pattern.compile("^\\s+(at |\\.\\.\\. \\d+ more)");
    private static final List<String> WRAPPER = wrapper();
    // The kernel sends the death signal when the *thread* that started a child ends, so one thread that lives as
    // long as this JVM starts them all.
    private static final ExecutorService STARTER = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name("child-process-starter").daemon().factory());

    private final String name;
    private final List<String> command;
    private final Map<String, String> environment;
    private final Path logFile;
    private final Reporter reporter;
    private final Deque<String> tail = new ArrayDeque<>();
    private Process process;
    private Thread copier;

    public ChildProcess(String name, List<String> command, Map<String, String> environment, Path logFile,
            Reporter reporter) {
        this.name = name;
        this.command = Stream.concat(WRAPPER.stream(), command.stream()).toList();
        this.environment = Map.copyOf(environment);
        this.logFile = logFile;
        this.reporter = reporter;
    }

    /** Starts the process unless it runs; returns it either way. */
    public synchronized Process start() {
        if (isAlive()) {
            return process;
        }
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        Writer log = openLog();
        try {
            process = STARTER.submit(builder::start).get();
            InputStream output = process.getInputStream();
            copier = Thread.ofPlatform().name(name + "-output").daemon().start(() -> copy(output, log));
            return process;
        } catch (ExecutionException e) {
            closeQuietly(log);
            throw new IllegalStateException("Cannot start " + name + ": " + String.join(" ", command), e.getCause());
        } catch (InterruptedException e) {
            closeQuietly(log);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while starting " + name, e);
        }
    }

    private Writer openLog() {
        try {
            Files.createDirectories(logFile.getParent());
            return Files.newBufferedWriter(logFile, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + logFile, e);
        }
    }

    private static void closeQuietly(Writer log) {
        try {
            log.close();
        } catch (IOException e) {
            // nothing was written
        }
    }

    public String name() {
        return name;
    }

    public Path logFile() {
        return logFile;
    }

    public synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** The running process's id; empty when it is not running. */
    public synchronized OptionalLong pid() {
        return isAlive() ? OptionalLong.of(process.pid()) : OptionalLong.empty();
    }

    /**
     * SIGTERM (SIGKILL when {@code forcibly}), then SIGKILL if it still runs after {@code grace}; returns once it
     * is gone and its last lines are copied. Nothing when it is not running.
     */
    public void stop(boolean forcibly, Duration grace) {
        Process running;
        synchronized (this) {
            running = process;
        }
        if (running == null || !running.isAlive()) {
            return;
        }
        // Through the handle: Process.destroy() would also close the pipes, losing the last log lines.
        if (forcibly) {
            running.toHandle().destroyForcibly();
        } else {
            running.toHandle().destroy();
        }
        try {
            if (!running.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                reporter.status(name + " did not stop within " + grace + ": killing it");
                running.toHandle().destroyForcibly();
                running.waitFor(5, TimeUnit.SECONDS);
            }
            copier.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running.toHandle().destroyForcibly();
        }
        reporter.status(name + (forcibly ? " killed" : " stopped"));
    }

    /** Sends a signal by name ({@code STOP}, {@code CONT}), for what {@link ProcessHandle} cannot do. */
    public synchronized void signal(String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot run kill -" + signal, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while sending SIG" + signal, e);
        }
    }

    /** Its last lines of output without stack frames: the exception and its causes say more in an error message. */
    public synchronized List<String> lastLines() {
        return List.copyOf(tail);
    }

    private void copy(InputStream output, Writer log) {
        try (log; BufferedReader reader = new BufferedReader(new InputStreamReader(output, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                log.write(line);
                log.write(System.lineSeparator());
                // Per line, so that the file is current for whoever tails it.
                log.flush();
                remember(line);
                reporter.output(name, line);
            }
        } catch (IOException e) {
            // The pipe closes when the process dies: nothing more to copy.
        }
    }

    private synchronized void remember(String line) {
        if (STACK_FRAME.matcher(line).find()) {
            return;
        }
        if (tail.size() == TAIL) {
            tail.removeFirst();
        }
        tail.addLast(line);
    }

    /** util-linux's {@code setsid} and {@code setpriv --pdeathsig KILL} where they exist; both exec in place. */
    private static List<String> wrapper() {
        List<String> wrapper = Stream.of("/usr/bin/setsid", "/usr/bin/setpriv")
                .filter(tool -> Files.isExecutable(Path.of(tool)))
                .collect(Collectors.toCollection(ArrayList::new));
        if (wrapper.size() == 2) {
            wrapper.addAll(List.of("--pdeathsig", "KILL"));
        }
        return List.copyOf(wrapper);
    }
}
