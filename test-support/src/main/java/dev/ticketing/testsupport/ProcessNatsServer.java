package dev.ticketing.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@code nats-server} child process on loopback with JetStream and a file store of its own, alone or as one
 * node of a {@link NatsCluster}. Every way it can go down ({@link #stop()}, {@link #kill()}, {@link #pause()},
 * {@link #wipeStore()}) keeps its ports, so {@link #start()} brings it back at the same address.
 */
public final class ProcessNatsServer implements NatsServer {

    private static final Logger log = LoggerFactory.getLogger(ProcessNatsServer.class);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final Path binary;
    private final Path workDir;
    private final String name;
    private final int clientPort;
    private final int monitorPort;
    private final List<String> extraArguments;
    private final String readinessPath;
    private Process process;
    private boolean paused;
    private boolean closed;

    private ProcessNatsServer(Path binary, Path workDir, String name, int clientPort, int monitorPort,
            List<String> extraArguments, String readinessPath) {
        this.binary = binary;
        this.workDir = workDir;
        this.name = name;
        this.clientPort = clientPort;
        this.monitorPort = monitorPort;
        this.extraArguments = List.copyOf(extraArguments);
        this.readinessPath = readinessPath;
    }

    /** A single server, started, ready when JetStream is enabled; removed when closed or when the JVM exits. */
    static ProcessNatsServer launch(Path binary) {
        int clientPort = Ports.freeLoopbackPort();
        ProcessNatsServer server = new ProcessNatsServer(binary, temporaryDirectory("ticketing-nats-"),
                "ticketing-test-" + clientPort, clientPort, Ports.freeLoopbackPort(), List.of(),
                "/healthz?js-enabled-only=true");
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "nats-server-cleanup"));
        server.start();
        return server;
    }

    /**
     * One node of a cluster, not started yet; {@code clusterArguments} name the cluster and its routes. The node
     * is ready when a plain {@code /healthz} answers 200: in a cluster nats-server (2.9 and 2.14 alike) then also
     * checks that a meta leader is elected, that this node is current with it and with the streams it holds.
     */
    static ProcessNatsServer clusterNode(Path binary, Path workDir, String name, int clientPort, int monitorPort,
            List<String> clusterArguments) {
        return new ProcessNatsServer(binary, workDir, name, clientPort, monitorPort, clusterArguments, "/healthz");
    }

    static Path temporaryDirectory(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create a store directory for nats-server", e);
        }
    }

    @Override
    public String url() {
        return "nats://127.0.0.1:" + clientPort;
    }

    /** The server name ({@code --server_name}), as JetStream reports it for stream and meta leaders. */
    public String name() {
        return name;
    }

    /** The monitoring address, for example {@code http://127.0.0.1:43122}, to read {@code /jsz} or {@code /healthz}. */
    public URI monitoringUri() {
        return URI.create("http://127.0.0.1:" + monitorPort);
    }

    @Override
    public ServerMode mode() {
        return ServerMode.EMBEDDED;
    }

    @Override
    public boolean isRestartable() {
        return true;
    }

    /** Starts a halted server on the same ports and store (or resumes a paused one) and waits until it is ready. */
    @Override
    public synchronized void start() {
        if (paused) {
            resume();
            return;
        }
        spawn();
        awaitReady();
    }

    /** Starts the process without waiting: a cluster starts every node first, since none is ready alone. */
    synchronized void spawn() {
        if (isRunning()) {
            return;
        }
        List<String> command = new ArrayList<>(List.of(binary.toString(),
                "-a", "127.0.0.1", "-p", Integer.toString(clientPort),
                "-m", Integer.toString(monitorPort),
                "-js", "-sd", store().toString(),
                "--server_name", name));
        command.addAll(extraArguments);
        try {
            Files.createDirectories(workDir);
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + binary, e);
        }
    }

    synchronized void awaitReady() {
        HttpProbe.awaitOk(monitoringUri().resolve(readinessPath), READY_TIMEOUT, this::diagnostics);
        log.info("nats-server {} (pid {}) is ready at {} with store {}", name, process.pid(), url(), store());
    }

    @Override
    public synchronized void stop() {
        halt(false);
    }

    @Override
    public synchronized void kill() {
        halt(true);
    }

    /** Freezes the process (SIGSTOP): its sockets stay open but it answers nobody, like a hung machine. */
    public synchronized void pause() {
        if (!isRunning()) {
            throw new IllegalStateException("nats-server " + name + " is not running, so it cannot be paused");
        }
        if (!paused) {
            signal("STOP");
            paused = true;
            log.info("nats-server {} at {} paused", name, url());
        }
    }

    /** Lets a paused process run again (SIGCONT) and waits until it is ready. */
    public synchronized void resume() {
        if (!paused) {
            return;
        }
        signal("CONT");
        paused = false;
        log.info("nats-server {} at {} resumed", name, url());
        awaitReady();
    }

    /** Stops gracefully and starts again on the same ports and store, waiting until it is ready. */
    public synchronized void restart() {
        stop();
        start();
    }

    /** Kills the server if it runs and deletes its store, so that {@link #start()} brings it back with no state. */
    @Override
    public synchronized void wipeStore() {
        halt(true);
        delete(store());
        log.info("nats-server {}: store {} wiped", name, store());
    }

    private boolean isRunning() {
        return process != null && process.isAlive();
    }

    private void signal(String signal) {
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

    private void halt(boolean forcibly) {
        if (!isRunning()) {
            paused = false;
            return;
        }
        if (forcibly) {
            process.destroyForcibly();
        } else {
            if (paused) {
                // A stopped process keeps SIGTERM pending until it runs again.
                signal("CONT");
            }
            process.destroy();
        }
        paused = false;
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        log.info("nats-server {} at {} {}", name, url(), forcibly ? "killed" : "stopped");
    }

    @Override
    public synchronized void close() {
        // Called by the test and again by the shutdown hook: the second call has nothing left to do.
        if (closed) {
            return;
        }
        closed = true;
        halt(false);
        delete(workDir);
    }

    private static void delete(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            log.warn("Could not remove {}", directory, e);
        }
    }

    private Path store() {
        return workDir.resolve("store");
    }

    private Path logFile() {
        return workDir.resolve("nats-server.log");
    }

    private String diagnostics() {
        String state = !process.isAlive() ? "exited with " + process.exitValue() : paused ? "paused" : "still running";
        try {
            List<String> lines = Files.readAllLines(logFile());
            return "nats-server " + name + " " + state + "; last log lines:\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "nats-server " + name + " " + state + "; no log";
        }
    }
}
