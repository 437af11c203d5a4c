package dev.ticketing.localstack;

import dev.ticketing.testsupport.ChildProcess;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the launcher speaks: its status lines ({@code [local-stack] ...}, also kept in {@code logs/local-stack.log})
 * and, when echoing, every child's lines prefixed with its name. One lock keeps lines whole.
 */
record Console(PrintStream out, boolean echo, PrintStream launcherLog) implements ChildProcess.Reporter, AutoCloseable {

    static Console open(PrintStream out, boolean echo, Path logsDir) {
        try {
            Files.createDirectories(logsDir);
            // A PrintStream never throws: a full disk must not keep the stack from stopping.
            return new Console(out, echo, new PrintStream(new FileOutputStream(logsDir.resolve("local-stack.log")
                    .toFile(), true), true, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write logs to " + logsDir, e);
        }
    }

    @Override
    public synchronized void status(String message) {
        out.println("[local-stack] " + message);
        out.flush();
        launcherLog.println("[local-stack] " + message);
    }

    /** A line a child printed (already in its own log file). */
    @Override
    public synchronized void output(String child, String line) {
        if (echo) {
            out.println("[" + child + "] " + line);
        }
    }

    @Override
    public synchronized void close() {
        out.flush();
        launcherLog.close();
    }
}
