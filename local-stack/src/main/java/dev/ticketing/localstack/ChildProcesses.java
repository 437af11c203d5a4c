package dev.ticketing.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The launcher's children, also written to {@code <DATA_DIR>/pids}. A launcher that is killed with SIGKILL
 * runs no shutdown hook; its service JVMs exit by themselves ({@link ParentWatch}), but a {@code nats-server}
 * would stay. The next launcher on the same data dir reads the file and stops such leftovers, recognising
 * them by pid <em>and</em> start time so that a recycled pid is never touched.
 */
final class ChildProcesses {

    static final String FILE_NAME = "pids";

    private final Path file;
    private final Map<Long, Entry> entries = new LinkedHashMap<>();

    private record Entry(long pid, long startMillis, String component) {

        String line() {
            return pid + "\t" + startMillis + "\t" + component;
        }

        static Optional<Entry> parse(String line) {
            String[] parts = line.split("\t");
            if (parts.length != 3) {
                return Optional.empty();
            }
            try {
                return Optional.of(new Entry(Long.parseLong(parts[0]), Long.parseLong(parts[1]), parts[2]));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }

        boolean matches(ProcessHandle handle) {
            return handle.info().startInstant().map(Instant::toEpochMilli).orElse(-1L) == startMillis;
        }
    }

    ChildProcesses(Path dataDir) {
        this.file = dataDir.resolve(FILE_NAME);
    }

    synchronized void add(String component, Process process) {
        long start = process.info().startInstant().map(Instant::toEpochMilli).orElse(-1L);
        entries.put(process.pid(), new Entry(process.pid(), start, component));
        write();
    }

    synchronized void remove(Process process) {
        if (entries.remove(process.pid()) != null) {
            write();
        }
    }

    /** Stops what an earlier, killed launcher left running on this data dir. Call while holding the data dir lock. */
    static void stopLeftovers(Path dataDir, Console console) {
        Path file = dataDir.resolve(FILE_NAME);
        if (!Files.exists(file)) {
            return;
        }
        List<ProcessHandle> leftovers = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                Entry.parse(line).ifPresent(entry -> ProcessHandle.of(entry.pid())
                        .filter(ProcessHandle::isAlive)
                        .filter(entry::matches)
                        .ifPresent(handle -> {
                            console.status("stopping " + entry.component() + " (pid " + entry.pid()
                                    + ") left running by an earlier launcher that was killed");
                            handle.destroy();
                            leftovers.add(handle);
                        }));
            }
            for (ProcessHandle handle : leftovers) {
                try {
                    handle.onExit().get(5, TimeUnit.SECONDS);
                } catch (TimeoutException | ExecutionException e) {
                    handle.destroyForcibly();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    handle.destroyForcibly();
                }
            }
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }

    synchronized void deleteFile() {
        entries.clear();
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // Harmless: every pid in it is checked against its start time before anything is stopped.
        }
    }

    private void write() {
        List<String> lines = entries.values().stream().map(Entry::line).toList();
        try {
            Files.write(file, lines, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
    }
}
