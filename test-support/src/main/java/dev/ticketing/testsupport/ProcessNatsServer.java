package dev.ticketing.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A {@code nats-server} child process on loopback with JetStream and a temporary file store. */
final class ProcessNatsServer implements NatsServer {

    private static final Logger log = LoggerFactory.getLogger(ProcessNatsServer.class);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(20);

    private final Path binary;
    private final Path workDir;
    private final int clientPort;
    private final int monitorPort;
    private Process process;
    private boolean closed;

    private ProcessNatsServer(Path binary, Path workDir, int clientPort, int monitorPort) {
        this.binary = binary;
        this.workDir = workDir;
        this.clientPort = clientPort;
        this.monitorPort = monitorPort;
    }

    static ProcessNatsServer launch(Path binary) {
        try {
            ProcessNatsServer server = new ProcessNatsServer(binary, Files.createTempDirectory("ticketing-nats-"),
                    Ports.freeLoopbackPort(), Ports.freeLoopbackPort());
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "nats-server-cleanup"));
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create a store directory for nats-server", e);
        }
    }

    @Override
    public String url() {
        return "nats://127.0.0.1:" + clientPort;
    }

    @Override
    public ServerMode mode() {
        return ServerMode.EMBEDDED;
    }

    @Override
    public boolean isRestartable() {
        return true;
    }

    @Override
    public synchronized void start() {
        if (process != null && process.isAlive()) {
            return;
        }
        List<String> command = List.of(binary.toString(),
                "-a", "127.0.0.1", "-p", Integer.toString(clientPort),
                "-m", Integer.toString(monitorPort),
                "-js", "-sd", workDir.resolve("store").toString(),
                "-n", "ticketing-test-" + clientPort);
        try {
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + binary, e);
        }
        HttpProbe.awaitOk(URI.create("http://127.0.0.1:" + monitorPort + "/healthz?js-enabled-only=true"),
                READY_TIMEOUT, this::diagnostics);
        log.info("nats-server (pid {}) is ready at {} with store {}", process.pid(), url(), workDir);
    }

    @Override
    public synchronized void stop() {
        halt(false);
    }

    @Override
    public synchronized void kill() {
        halt(true);
    }

    @Override
    public synchronized void wipeStore() {
        halt(true);
        deleteRecursively(workDir.resolve("store"));
        log.info("nats-server at {}: store deleted", url());
    }

    private void halt(boolean forcibly) {
        if (process == null || !process.isAlive()) {
            return;
        }
        if (forcibly) {
            process.destroyForcibly();
        } else {
            process.destroy();
        }
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        log.info("nats-server at {} {}", url(), forcibly ? "killed" : "stopped");
    }

    @Override
    public synchronized void close() {
        // Called by the test and again by the shutdown hook: the second call has nothing left to do.
        if (closed) {
            return;
        }
        closed = true;
        halt(false);
        deleteRecursively(workDir);
    }

    private static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            log.warn("Could not remove {}", root, e);
        }
    }

    private Path logFile() {
        return workDir.resolve("nats-server.log");
    }

    private String diagnostics() {
        String exit = process.isAlive() ? "still running" : "exited with " + process.exitValue();
        try {
            List<String> lines = Files.readAllLines(logFile());
            return "nats-server " + exit + "; last log lines:\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "nats-server " + exit + "; no log";
        }
    }
}
