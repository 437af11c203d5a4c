package dev.ticketing.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * One process of a service: {@code java -jar <module>/target/<module>-<version>.jar} on its own loopback
 * port. Ready when {@code /actuator/health/readiness} answers 200, and then as long as the periodic probe
 * ({@link ReadinessProbes}) finds it so, as the Kubernetes probe would have it.
 * It can be stopped, killed and started again on the same port (the fault tests do).
 */
public final class ServiceReplica {

    private final String component;
    private final String podName;
    private final int port;
    private final List<String> command;
    private final Map<String, String> environment;
    private final ComponentOutput output;
    private final Console console;
    private final ChildProcesses children;
    private final Duration readyTimeout;
    private final Duration stopGrace;
    private @Nullable Process process;
    private volatile boolean ready;
    private volatile boolean stopping;
    private volatile @Nullable Duration startupTime;
    private int failedProbes;

    ServiceReplica(String component, String podName, int port, List<String> command, Map<String, String> environment,
            ComponentOutput output, Console console, ChildProcesses children, Duration readyTimeout,
            Duration stopGrace) {
        this.component = component;
        this.podName = podName;
        this.port = port;
        this.command = List.copyOf(command);
        this.environment = Map.copyOf(environment);
        this.output = output;
        this.console = console;
        this.children = children;
        this.readyTimeout = readyTimeout;
        this.stopGrace = stopGrace;
    }

    /** The name of its log file and console prefix, e.g. {@code tickets-service} or {@code orders-service-2}. */
    public String component() {
        return component;
    }

    /** Its {@code POD_NAME}, e.g. {@code orders-service-1}. */
    public String podName() {
        return podName;
    }

    public int port() {
        return port;
    }

    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public synchronized long pid() {
        if (process == null) {
            throw new IllegalStateException(component + " was never started");
        }
        return process.pid();
    }

    public synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** Alive, and its readiness answered 200 at the last probes: the edge routes to it. */
    public boolean isReady() {
        return ready && isAlive();
    }

    /** From process start to its first 200 from readiness, for the last start. */
    public @Nullable Duration startupTime() {
        return startupTime;
    }

    /** Resident memory now (VmRSS); empty where there is no {@code /proc}. */
    public OptionalLong residentMemoryBytes() {
        return ResidentMemory.bytes(pid());
    }

    /** Starts the process, without waiting for readiness. A running replica is left alone. */
    public synchronized void start() {
        if (process != null && process.isAlive()) {
            return;
        }
        ProcessBuilder builder = new ProcessBuilder(ProcessGroups.ownSession(command)).redirectErrorStream(true);
        builder.environment().putAll(environment);
        ready = false;
        stopping = false;
        startupTime = null;
        failedProbes = 0;
        Process started;
        try {
            started = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + component + ": " + String.join(" ", command), e);
        }
        process = started;
        children.add(component, started);
        output.follow(started.getInputStream());
        started.onExit().thenAccept(this::exited);
    }

    /** Waits until readiness answers 200; fails with the end of its log if it exits or takes too long. */
    public void awaitReady() {
        Process started;
        synchronized (this) {
            started = process;
        }
        if (started == null) {
            throw new IllegalStateException(component + " was never started");
        }
        long begin = started.info().startInstant().map(Instant::toEpochMilli)
                .orElse(System.currentTimeMillis());
        if (!HttpProbe.awaitOk(readinessUri(), readyTimeout, started::isAlive)) {
            String why = started.isAlive() ? "was not ready within " + readyTimeout
                    : "exited during start-up (code " + started.exitValue() + ")";
            throw new LocalStackException(component + " " + why + ". Last lines of " + output.logFile() + ":\n  "
                    + String.join("\n  ", output.lastLines()));
        }
        Duration took = Duration.ofMillis(System.currentTimeMillis() - begin);
        startupTime = took;
        synchronized (this) {
            failedProbes = 0;
            ready = true;
        }
        console.status(String.format("%s ready at %s (pid %d) in %.1f s", component, baseUri(), started.pid(),
                took.toMillis() / 1000.0));
    }

    /**
     * One periodic readiness probe: a 200 puts the replica (back) into the edge's rotation, {@code failureThreshold}
     * failures in a row take it out. Nothing while it is down or stopping.
     */
    void probeReadiness(int failureThreshold) {
        if (!isAlive() || stopping) {
            return;
        }
        boolean ok = HttpProbe.isOk(readinessUri());
        synchronized (this) {
            if (stopping || !isAlive()) {
                return; // stopped during the probe: its answer is stale
            }
            boolean wasReady = ready;
            if (ok) {
                failedProbes = 0;
                ready = true;
            } else if (++failedProbes >= failureThreshold) {
                ready = false;
            }
            if (ready != wasReady) {
                console.status(component + (ready ? " is ready again: back in the edge's rotation"
                        : " is not ready (" + failedProbes + " failed readiness probes): out of the edge's rotation"));
            }
        }
    }

    private URI readinessUri() {
        return baseUri().resolve("/actuator/health/readiness");
    }

    /** SIGTERM, then SIGKILL if it has not exited within the grace period. */
    public void stop() {
        halt(false);
    }

    /** SIGKILL: no shutdown hooks, no graceful shutdown; unacknowledged events are redelivered elsewhere. */
    public void kill() {
        halt(true);
    }

    private void halt(boolean forcibly) {
        Process running;
        synchronized (this) {
            running = process;
            if (running == null || !running.isAlive()) {
                return;
            }
            stopping = true;
            ready = false;
        }
        // Through the handle: Process.destroy() would also close the pipes, losing the shutdown log lines.
        if (forcibly) {
            running.toHandle().destroyForcibly();
        } else {
            running.toHandle().destroy();
        }
        try {
            if (!running.waitFor(forcibly ? 5_000 : stopGrace.toMillis(), TimeUnit.MILLISECONDS)) {
                console.status(component + " did not stop within " + stopGrace + ": killing it");
                running.toHandle().destroyForcibly();
                running.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running.toHandle().destroyForcibly();
        }
        output.drain();
        console.status(component + (forcibly ? " killed (SIGKILL)" : " stopped"));
    }

    private void exited(Process gone) {
        ready = false;
        children.remove(gone);
        if (!stopping) {
            console.status(component + " exited unexpectedly with code " + gone.exitValue() + "; see " + output.logFile());
        }
    }
}
