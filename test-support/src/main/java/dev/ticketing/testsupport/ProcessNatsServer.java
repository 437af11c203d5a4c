package dev.ticketing.testsupport;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * A {@code nats-server} child process on loopback with JetStream and a file store, alone or as one node of a
 * {@link NatsCluster}; the launcher of both the tests and the local stack. Every way it can go down ({@link #stop()},
 * {@link #kill()}, {@link #pause()}, {@link #wipeStore()}) keeps its ports, so {@link #start()} brings it back at
 * the same address.
 */
public final class ProcessNatsServer implements NatsServer {

    /**
     * Where nats-server processes keep their files and whom they tell: a single server's store is {@code store},
     * a cluster node's {@code store/n1} ...; each one's output goes to {@code logs/<process name>.log}.
     */
    public record Setup(Path binary, Path store, Path logs, Duration readyTimeout, ChildProcess.Reporter reporter) {
    }

    // Short, so that the local stack's stop stays within 15 s after its services' 10 s.
    private static final Duration STOP_GRACE = Duration.ofSeconds(3);

    private final String serverName;
    private final Path store;
    private final int clientPort;
    private final int monitorPort;
    private final boolean clustered;
    private final String readinessPath;
    private final Duration readyTimeout;
    private final ChildProcess.Reporter reporter;
    private final ChildProcess process;
    private boolean paused;
    private long spawnedAt;

    ProcessNatsServer(Setup setup, String processName, String serverName, Path store, int clientPort, int monitorPort,
            List<String> clusterArguments) {
        this.serverName = serverName;
        this.store = store;
        this.clientPort = clientPort;
        this.monitorPort = monitorPort;
        this.clustered = !clusterArguments.isEmpty();
        // In a cluster a plain /healthz also means that a meta leader is elected and this node is current with it.
        this.readinessPath = clustered ? "/healthz" : "/healthz?js-enabled-only=true";
        this.readyTimeout = setup.readyTimeout();
        this.reporter = setup.reporter();
        List<String> command = new ArrayList<>(List.of(setup.binary().toString(), "-js", "-sd", store.toString(),
                "-a", "127.0.0.1", "-p", Integer.toString(clientPort), "-m", Integer.toString(monitorPort),
                "-n", serverName));
        command.addAll(clusterArguments);
        this.process = new ChildProcess(processName, command, Map.of(), setup.logs().resolve(processName + ".log"),
                reporter);
    }

    /** One server named {@code serverName} on free ports, not started yet. */
    public static ProcessNatsServer single(Setup setup, String serverName) {
        List<Integer> ports = Ports.freeLoopbackPorts(2);
        return new ProcessNatsServer(setup, "nats-server", serverName, setup.store(), ports.get(0), ports.get(1), List.of());
    }

    @Override
    public String url() {
        return "nats://127.0.0.1:" + clientPort;
    }

    /** The server name ({@code -n}), as JetStream reports it for stream and meta leaders. */
    public String name() {
        return serverName;
    }

    /** The monitoring address, for example {@code http://127.0.0.1:43122}, to read {@code /jsz} or {@code /healthz}. */
    public URI monitoringUri() {
        return URI.create("http://127.0.0.1:" + monitorPort);
    }

    @Override
    public ServerMode mode() {
        return ServerMode.EMBEDDED;
    }

    public boolean isRunning() {
        return process.isAlive();
    }

    /** The running process's id; empty when it is stopped. */
    public OptionalLong pid() {
        return process.pid();
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

    /** Starts (or resumes) the process without waiting: a cluster starts every node first, since none is ready alone. */
    synchronized void spawn() {
        if (paused) {
            process.signal("CONT");
            paused = false;
        } else if (!process.isAlive()) {
            try {
                Files.createDirectories(store);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot create " + store, e);
            }
            spawnedAt = System.nanoTime();
            process.start();
        }
    }

    /** Waits until the process answers its readiness probe; kills it and says why if it does not. */
    synchronized void awaitReady() {
        if (!HttpProbe.awaitOk(monitoringUri().resolve(readinessPath), readyTimeout, process::isAlive)) {
            String why = process.isAlive() ? "did not become ready within " + readyTimeout : "exited";
            halt(true);
            throw new IllegalStateException(process.name() + " " + why + ". Last lines of " + process.logFile()
                    + ":\n  " + String.join("\n  ", process.lastLines()));
        }
        reporter.status(String.format("%s ready at %s (JetStream store %s, monitor %s%s) in %.1f s", process.name(),
                url(), store, monitoringUri(), clustered ? ", server name " + serverName : "",
                (System.nanoTime() - spawnedAt) / 1e9));
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
        if (!process.isAlive()) {
            throw new IllegalStateException(process.name() + " " + serverName + " is not running, so it cannot be paused");
        }
        if (!paused) {
            process.signal("STOP");
            paused = true;
            reporter.status(process.name() + " " + serverName + " paused");
        }
    }

    /** Lets a paused process run again (SIGCONT) and waits until it is ready. */
    public synchronized void resume() {
        if (paused) {
            spawnedAt = System.nanoTime();
            spawn();
            awaitReady();
        }
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
        delete(store);
        reporter.status(process.name() + " " + serverName + ": store " + store + " wiped");
    }

    /** Stops the server; its store stays (a test's temporary one is removed when the JVM exits). */
    @Override
    public synchronized void close() {
        halt(false);
    }

    private void halt(boolean forcibly) {
        if (paused && !forcibly) {
            // A stopped process keeps SIGTERM pending until it runs again.
            process.signal("CONT");
        }
        paused = false;
        process.stop(forcibly, STOP_GRACE);
    }

    static void delete(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot remove " + directory, e);
        }
    }

    /**
     * {@code NATS_SERVER_BIN}, else {@code nats-server} on the PATH or where Debian and Homebrew put it; otherwise
     * fails saying how to install it, after {@code why} it is needed.
     */
    public static Path binary(Map<String, String> env, String why) {
        String configured = env.get("NATS_SERVER_BIN");
        if (configured != null && !configured.isBlank()) {
            if (!Files.isExecutable(Path.of(configured))) {
                throw new IllegalStateException("NATS_SERVER_BIN=" + configured + " is not an executable file");
            }
            return Path.of(configured);
        }
        // Debian installs nats-server in /usr/sbin, which is not on every user's PATH.
        return Stream.concat(Stream.of(env.getOrDefault("PATH", "").split(File.pathSeparator)),
                        Stream.of("/usr/sbin", "/usr/local/bin", "/opt/homebrew/bin"))
                .filter(dir -> !dir.isBlank())
                .map(dir -> Path.of(dir, "nats-server"))
                .filter(Files::isExecutable)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException(why + """
                         nats-server is not installed (looked on the PATH, in /usr/sbin, /usr/local/bin and \
                        /opt/homebrew/bin). Install it and run again:
                          Debian/Ubuntu: sudo apt-get install -y nats-server
                          macOS:         brew install nats-server
                        or set NATS_SERVER_BIN to a nats-server binary."""));
    }
}
