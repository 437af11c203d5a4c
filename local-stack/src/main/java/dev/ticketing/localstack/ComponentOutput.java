package dev.ticketing.localstack;

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
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Copies a child process's merged stdout/stderr, line by line, to {@code logs/<component>.log} and to the
 * console, and keeps the last lines (without stack frames) for error messages. One thread per child process run.
 */
final class ComponentOutput {

    private static final int TAIL = 30;
    private static final Pattern STACK_FRAME = Pattern.compile("^\\s+(at |\\.\\.\\. \\d+ more)");
    private static final long DRAIN_MILLIS = 2_000;

    private final String component;
    private final Path logFile;
    private final Console console;
    private final Deque<String> tail = new ArrayDeque<>();
    private volatile @Nullable Thread copier;

    ComponentOutput(String component, Path logFile, Console console) {
        this.component = component;
        this.logFile = logFile;
        this.console = console;
    }

    Path logFile() {
        return logFile;
    }

    /** Starts copying {@code output} until it ends (the process exited). */
    void follow(InputStream output) {
        Writer writer;
        try {
            writer = Files.newBufferedWriter(logFile, StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + logFile, e);
        }
        Thread thread = new Thread(() -> copy(output, writer), component + "-output");
        thread.setDaemon(true);
        thread.start();
        copier = thread;
    }

    /** Waits a little for the last lines of an exited process, such as its shutdown messages, to be copied. */
    void drain() {
        Thread thread = copier;
        if (thread != null) {
            try {
                thread.join(DRAIN_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void copy(InputStream output, Writer writer) {
        try (writer; BufferedReader reader = new BufferedReader(new InputStreamReader(output, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                writer.write(line);
                writer.write(System.lineSeparator());
                // Flushed per line so the log file is current when someone tails it or a test reads it.
                writer.flush();
                remember(line);
                console.component(component, line);
            }
        } catch (IOException e) {
            // The pipe closes when the process dies; nothing more to copy.
        }
    }

    private synchronized void remember(String line) {
        if (STACK_FRAME.matcher(line).find()) {
            // Kept in the log file; in an error message the exception lines and "Caused by" say more.
            return;
        }
        if (tail.size() == TAIL) {
            tail.removeFirst();
        }
        tail.addLast(line);
    }

    synchronized List<String> lastLines() {
        return List.copyOf(tail);
    }
}
