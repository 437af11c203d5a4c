package dev.ticketing.localstack;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Where the launcher speaks: its own status lines ({@code [local-stack] ...}) and, when echoing, every
 * component's log lines prefixed with the component's name. One lock keeps lines whole.
 */
final class Console implements AutoCloseable {

    static final String LAUNCHER = "local-stack";

    private final PrintStream out;
    private final boolean echoComponents;
    private final Writer launcherLog;

    private Console(PrintStream out, boolean echoComponents, Writer launcherLog) {
        this.out = out;
        this.echoComponents = echoComponents;
        this.launcherLog = launcherLog;
    }

    static Console open(PrintStream out, boolean echoComponents, Path logsDir) {
        try {
            Files.createDirectories(logsDir);
            Writer log = Files.newBufferedWriter(logsDir.resolve(LAUNCHER + ".log"), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            return new Console(out, echoComponents, log);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write logs to " + logsDir, e);
        }
    }

    /** A status line of the launcher: always shown, and kept in {@code logs/local-stack.log}. */
    synchronized void status(String message) {
        String line = "[" + LAUNCHER + "] " + message;
        out.println(line);
        out.flush();
        try {
            launcherLog.write(line);
            launcherLog.write(System.lineSeparator());
            launcherLog.flush();
        } catch (IOException e) {
            // The console line went out; a full disk must not stop the stack from stopping.
        }
    }

    /** One line of a component's own output (already written to its log file). */
    synchronized void component(String component, String line) {
        if (echoComponents) {
            out.println("[" + component + "] " + line);
        }
    }

    @Override
    public synchronized void close() {
        out.flush();
        try {
            launcherLog.close();
        } catch (IOException e) {
            // nothing left to tell
        }
    }
}
