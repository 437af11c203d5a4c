package dev.ticketing.localstack;

import dev.ticketing.testsupport.ChildProcess;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Where the launcher speaks: its status lines ({@code [local-stack] ...}, also kept in {@code logs/local-stack.log})
 * and, when echoing, every child's lines prefixed with its name. One lock keeps lines whole.
 */
final class Console implements ChildProcess.Reporter, AutoCloseable {

    private final PrintStream out;
    private final boolean echo;
    private final Writer launcherLog;

    private Console(PrintStream out, boolean echo, Writer launcherLog) {
        this.out = out;
        this.echo = echo;
        this.launcherLog = launcherLog;
    }

    static Console open(PrintStream out, boolean echo, Path logsDir) {
        try {
            Files.createDirectories(logsDir);
            return new Console(out, echo, Files.newBufferedWriter(logsDir.resolve("local-stack.log"),
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write logs to " + logsDir, e);
        }
    }

    @Override
    public synchronized void status(String message) {
        String line = "[local-stack] " + message;
        out.println(line);
        out.flush();
        try {
            launcherLog.write(line + System.lineSeparator());
            launcherLog.flush();
        } catch (IOException e) {
            // The console line went out; a full disk must not keep the stack from stopping.
        }
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
        try {
            launcherLog.close();
        } catch (IOException e) {
            // nothing left to tell
        }
    }
}
