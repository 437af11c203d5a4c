package dev.ticketing.localstack;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * NATS with JetStream for the stack: a {@code nats-server} child process on loopback whose store lives in
 * {@code <DATA_DIR>/nats}, one node of a {@link NatsCluster} (store {@code <DATA_DIR>/nats/n1} ...), or an
 * external server named by {@code NATS_URL}. The child can be stopped, killed and started again on the same
 * ports and store, which is how the fault tests take NATS away.
 */
public final class NatsServer {

    static final String COMPONENT = "nats-server";
    // Services get 10 s; with these 3 s a stop stays within 15 s even when everything is slow.
    private static final Duration STOP_GRACE = Duration.ofSeconds(3);

    private final String component;
    private final String serverName;
    private final String url;
    private final @Nullable Path binary;
    private final @Nullable Path storeDir;
    private final int clientPort;
    private final int monitorPort;
    private final List<String> clusterArguments;
    private final String readinessPath;
    private final @Nullable ComponentOutput output;
    private final @Nullable Console console;
    private final @Nullable ChildProcesses children;
    private final Duration readyTimeout;
    private @Nullable Process process;
    private volatile long spawnedAt;

    private NatsServer(String component, String serverName, String url, @Nullable Path binary, @Nullable Path storeDir,
            int clientPort, int monitorPort, List<String> clusterArguments, String readinessPath,
            @Nullable ComponentOutput output, @Nullable Console console, @Nullable ChildProcesses children,
            Duration readyTimeout) {
        this.component = component;
        this.serverName = serverName;
        this.url = url;
        this.binary = binary;
        this.storeDir = storeDir;
        this.clientPort = clientPort;
        this.monitorPort = monitorPort;
        this.clusterArguments = List.copyOf(clusterArguments);
        this.readinessPath = readinessPath;
        this.output = output;
        this.console = console;
        this.children = children;
        this.readyTimeout = readyTimeout;
    }

    static NatsServer external(String url) {
        return new NatsServer(COMPONENT, "external", url, null, null, -1, -1, List.of(), "", null, null, null,
                Duration.ZERO);
    }

    static NatsServer managed(Path storeDir, Path logsDir, Console console, ChildProcesses children,
            Duration readyTimeout, Map<String, String> env) {
        return node(COMPONENT, "ticketing-local", storeDir, Ports.freeLoopbackPort(), List.of(),
                "/healthz?js-enabled-only=true", logsDir, console, children, readyTimeout, binary(env));
    }

    /**
     * One node of a cluster; {@code clusterArguments} name the cluster, its route port and the routes to the
     * others. It is ready when a plain {@code /healthz} answers 200, which in a cluster also means a JetStream
     * meta leader is elected and this node is current with it.
     */
    static NatsServer clusterNode(String component, String serverName, Path storeDir, int clientPort,
            List<String> clusterArguments, Path logsDir, Console console, ChildProcesses children,
            Duration readyTimeout, Path binary) {
        return node(component, serverName, storeDir, clientPort, clusterArguments, "/healthz", logsDir, console,
                children, readyTimeout, binary);
    }

    private static NatsServer node(String component, String serverName, Path storeDir, int clientPort,
            List<String> clusterArguments, String readinessPath, Path logsDir, Console console, ChildProcesses children,
            Duration readyTimeout, Path binary) {
        return new NatsServer(component, serverName, "nats://127.0.0.1:" + clientPort, binary, storeDir, clientPort,
                Ports.freeLoopbackPort(), clusterArguments, readinessPath,
                new ComponentOutput(component, logsDir.resolve(component + ".log"), console), console, children,
                readyTimeout);
    }

    /** The server name ({@code -n}), as JetStream reports it for a stream's leader. */
    public String serverName() {
        return serverName;
    }

    /** The monitoring address ({@code /healthz}, {@code /jsz}); empty when external. */
    public Optional<URI> monitorUri() {
        return isManaged() ? Optional.of(URI.create("http://127.0.0.1:" + monitorPort)) : Optional.empty();
    }

    /** The client URL the services get as {@code NATS_URL}. */
    public String url() {
        return url;
    }

    /** Whether this stack runs the server itself and so may stop and start it. */
    public boolean isManaged() {
        return binary != null;
    }

    /** Starts the server (again) on the same ports and store, and waits until it is ready. */
    public void start() {
        spawn();
        awaitReady();
    }

    /** Starts the process without waiting: a cluster starts every node first, since none is ready alone. */
    synchronized void spawn() {
        requireManaged();
        if (process != null && process.isAlive()) {
            return;
        }
        List<String> command = new ArrayList<>(List.of(binary.toString(), "-js", "-sd", storeDir.toString(),
                "-a", "127.0.0.1", "-p", Integer.toString(clientPort), "-m", Integer.toString(monitorPort),
                "-n", serverName));
        command.addAll(clusterArguments);
        spawnedAt = System.nanoTime();
        try {
            Files.createDirectories(storeDir);
            process = new ProcessBuilder(ProcessGroups.ownSession(command)).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + binary, e);
        }
        children.add(component, process);
        output.follow(process.getInputStream());
    }

    /** Waits until the spawned process answers its readiness probe; kills it and says why if it does not. */
    void awaitReady() {
        Process running;
        synchronized (this) {
            running = process;
        }
        if (running == null) {
            throw new IllegalStateException(component + " was not started");
        }
        URI health = URI.create("http://127.0.0.1:" + monitorPort + readinessPath);
        if (!HttpProbe.awaitOk(health, readyTimeout, running::isAlive)) {
            String exit = running.isAlive() ? "did not become ready within " + readyTimeout : "exited";
            kill();
            throw new LocalStackException(component + " " + exit + ". Last lines of " + output.logFile() + ":\n  "
                    + String.join("\n  ", output.lastLines()));
        }
        String cluster = clusterArguments.isEmpty() ? "" : ", server name " + serverName;
        console.status(String.format("%s ready at %s (JetStream store %s, monitor http://127.0.0.1:%d%s) in %.1f s",
                component, url, storeDir, monitorPort, cluster, (System.nanoTime() - spawnedAt) / 1e9));
    }

    /** Stops the server gracefully; its port and store stay for {@link #start()}. */
    public synchronized void stop() {
        requireManaged();
        halt(false);
    }

    /** Kills the server (SIGKILL); its port and store stay for {@link #start()}. */
    public synchronized void kill() {
        requireManaged();
        halt(true);
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** The pid of the running {@code nats-server}; empty when external or stopped. */
    public synchronized OptionalLong pid() {
        return process != null && process.isAlive() ? OptionalLong.of(process.pid()) : OptionalLong.empty();
    }

    synchronized void close() {
        if (isManaged()) {
            halt(false);
        }
    }

    private void halt(boolean forcibly) {
        Process running = process;
        if (running == null || !running.isAlive()) {
            return;
        }
        if (forcibly) {
            running.toHandle().destroyForcibly();
        } else {
            running.toHandle().destroy();
        }
        try {
            if (!running.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                running.toHandle().destroyForcibly();
                running.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running.toHandle().destroyForcibly();
        }
        children.remove(running);
        output.drain();
        console.status(component + " " + (forcibly ? "killed" : "stopped"));
    }

    private void requireManaged() {
        if (!isManaged()) {
            throw new IllegalStateException("NATS at " + url + " is external (NATS_URL): this stack does not control it");
        }
    }

    /** {@code NATS_SERVER_BIN}, else {@code nats-server} on the PATH or where Debian and Homebrew put it. */
    static Path binary(Map<String, String> env) {
        String configured = env.get("NATS_SERVER_BIN");
        if (configured != null && !configured.isBlank()) {
            Path path = Path.of(configured);
            if (!Files.isExecutable(path)) {
                throw new LocalStackException("NATS_SERVER_BIN=" + configured + " is not an executable file");
            }
            return path;
        }
        String path = env.getOrDefault("PATH", "");
        // Debian installs nats-server in /usr/sbin, which is not on every user's PATH.
        return Stream.concat(Stream.of(path.split(File.pathSeparator)),
                        Stream.of("/usr/sbin", "/usr/local/bin", "/opt/homebrew/bin"))
                .filter(dir -> !dir.isBlank())
                .map(dir -> Path.of(dir, "nats-server"))
                .filter(Files::isExecutable)
                .findFirst()
                .orElseThrow(() -> new LocalStackException("""
                        nats-server is not installed (looked on the PATH, in /usr/sbin, /usr/local/bin and \
                        /opt/homebrew/bin). Install it and run again:
                          Debian/Ubuntu: sudo apt-get install -y nats-server
                          macOS:         brew install nats-server
                        or set NATS_SERVER_BIN to a nats-server binary, or NATS_URL to a running server started \
                        with -js (JetStream)."""));
    }
}
