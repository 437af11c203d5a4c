package dev.ticketing.localstack;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/** The replicas of one service, and the edge's round-robin choice among those that are ready. */
public final class ServiceGroup {

    private final String name;
    private final List<ServiceReplica> replicas;
    private final AtomicInteger next = new AtomicInteger();

    ServiceGroup(String name, List<ServiceReplica> replicas) {
        this.name = name;
        this.replicas = List.copyOf(replicas);
    }

    public String name() {
        return name;
    }

    public List<ServiceReplica> replicas() {
        return replicas;
    }

    /** The next ready replica in turn, skipping dead and starting ones; empty when none is ready. */
    Optional<ServiceReplica> nextReady() {
        int size = replicas.size();
        int start = Math.floorMod(next.getAndIncrement(), size);
        for (int i = 0; i < size; i++) {
            ServiceReplica candidate = replicas.get((start + i) % size);
            if (candidate.isReady()) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
