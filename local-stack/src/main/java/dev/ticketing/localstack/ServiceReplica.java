package dev.ticketing.localstack;

import dev.ticketing.testsupport.ChildProcess;
import dev.ticketing.testsupport.HttpProbe;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * One process of a service: {@code java -jar <module>/target/<module>-<version>.jar} on its own loopback port.
 * Ready from its first 200 on {@code /actuator/health/readiness}, and then as long as the periodic probe finds it
 * so, as the Kubernetes probe would have it. It can be stopped, killed and started again on the same port.
 */
public final class ServiceReplica {

    private static final Duration STOP_GRACE = Duration.ofSeconds(10);

    private final int port;
    private final ChildProcess process;
    private final ChildProcess.Reporter console;
    private final Duration readyTimeout;
    private final URI readiness;
    private @Nullable Process current;
    private long startedAt;
    private volatile boolean ready;
    private volatile boolean stopping;
    private volatile @Nullable Duration startupTime;
    private int failedProbes;

    ServiceReplica(String component, int port, List<String> command, Map<String, String> environment,
            Path logFile, ChildProcess.Reporter console, Duration readyTimeout) {
        this.port = port;
        this.process = new ChildProcess(component, command, environment, logFile, console);
        this.console = console;
        this.readyTimeout = readyTimeout;
        this.readiness = baseUri().resolve("/actuator/health/readiness");
    }

    /** The name of its log file and console prefix, e.g. {@code tickets-service} or {@code orders-service-2}. */
    public String component() {
        return process.name();
    }

    public int port() {
        return port;
    }

    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public long pid() {
        return process.pid().orElseThrow(() -> new IllegalStateException(component() + " is not running"));
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Alive, and its readiness answered 200 at the last probes: the edge routes to it. */
    public boolean isReady() {
        return ready && isAlive();
    }

    /** From process start to its first 200 from readiness, for the last start. */
    public @Nullable Duration startupTime() {
        return startupTime;
    }

    /** Starts the process, without waiting for readiness. A running replica is left alone. */
    public synchronized void start() {
        if (isAlive()) {
            return;
        }
        ready = false;
        stopping = false;
        startupTime = null;
        failedProbes = 0;
        startedAt = System.nanoTime();
        Process started = process.start();
        current = started;
        started.onExit().thenAccept(this::exited);
    }

    /** Waits until readiness answers 200; fails with the end of its log if it exits or takes too long. */
    public void awaitReady() {
        if (!HttpProbe.awaitOk(readiness, readyTimeout, process::isAlive)) {
            String why = isAlive() ? "was not ready within " + readyTimeout : "exited during start-up";
            throw new IllegalStateException(component() + " " + why + ". Last lines of " + process.logFile() + ":\n  "
                    + String.join("\n  ", process.lastLines()));
        }
        Duration took = Duration.ofNanos(System.nanoTime() - startedAt);
        synchronized (this) {
            startupTime = took;
            failedProbes = 0;
            ready = true;
        }
        console.status(String.format("%s ready at %s (pid %d) in %.1f s", component(), baseUri(), pid(),
                took.toMillis() / 1000.0));
    }

    /** Probes every replica's readiness every {@code period}, each on a thread of its own, until shut down. */
    static ScheduledExecutorService probeEvery(Duration period, int failureThreshold, List<ServiceReplica> replicas) {
        // A thread per replica: a replica that hangs must not delay the others' probes.
        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(Math.max(1, replicas.size()),
                Thread.ofVirtual().name("readiness-probe-", 0).factory());
        for (ServiceReplica replica : replicas) {
            scheduler.scheduleWithFixedDelay(() -> replica.probeReadiness(failureThreshold), period.toMillis(),
                    period.toMillis(), TimeUnit.MILLISECONDS);
        }
        return scheduler;
    }

    /**
     * One periodic probe: a 200 puts the replica (back) into the edge's rotation, {@code failureThreshold} failures in
     * a row take it out. Nothing while it is down or stopping.
     */
    void probeReadiness(int failureThreshold) {
        if (!isAlive() || stopping) {
            return;
        }
        boolean ok = HttpProbe.isOk(readiness);
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
                console.status(component() + (ready ? " is ready again: back in the edge's rotation"
                        : " is not ready (" + failedProbes + " failed readiness probes): out of the edge's rotation"));
            }
        }
    }

    /** SIGTERM, then SIGKILL if it has not exited within the grace period. */
    public void stop() {
        halt(false);
    }

    /** SIGKILL: no graceful shutdown; what it had not acknowledged is redelivered to another replica. */
    public void kill() {
        halt(true);
    }

    private void halt(boolean forcibly) {
        synchronized (this) {
            stopping = true;
            ready = false;
        }
        process.stop(forcibly, forcibly ? Duration.ofSeconds(5) : STOP_GRACE);
    }

    private synchronized void exited(Process gone) {
        if (gone != current) {
            return; // an earlier run's exit, reported after a restart
        }
        ready = false;
        if (!stopping) {
            console.status(component() + " exited unexpectedly with code " + gone.exitValue() + "; see "
                    + process.logFile());
        }
    }
}
