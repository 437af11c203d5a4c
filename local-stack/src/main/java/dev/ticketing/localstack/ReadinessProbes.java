package dev.ticketing.localstack;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The kubelet's readiness probes, for the edge: every replica's {@code /actuator/health/readiness} is probed every
 * {@link #PERIOD} for as long as the stack runs, with the settings of {@code infra/k8s} (periodSeconds 5,
 * failureThreshold 2). A replica leaves the edge's rotation after {@link #FAILURE_THRESHOLD} failed probes in a row
 * and rejoins it at the first 200, so a service whose readiness is DOWN (e.g. its MongoDB away) gets no requests meanwhile.
 */
final class ReadinessProbes implements AutoCloseable {

    static final Duration PERIOD = Duration.ofSeconds(5);
    static final int FAILURE_THRESHOLD = 2;

    private final ScheduledExecutorService scheduler;

    ReadinessProbes(List<ServiceReplica> replicas, Duration period) {
        // A thread per replica: a replica that hangs must not delay the others' probes.
        scheduler = Executors.newScheduledThreadPool(Math.max(1, replicas.size()),
                Thread.ofVirtual().name("readiness-probe-", 0).factory());
        for (ServiceReplica replica : replicas) {
            scheduler.scheduleWithFixedDelay(() -> replica.probeReadiness(FAILURE_THRESHOLD), period.toMillis(),
                    period.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
