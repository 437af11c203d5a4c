package dev.ticketing.benchmarks;

import java.util.List;

/**
 * Issue 5, target (d): the replica applies a burst at no less than half the rate the bus delivers the same
 * events to a no-op durable. Compared as the ratio of the medians, against the bus's live figure (the replica's
 * clock: from the first publish); the ratio to the replay figure (delivery alone) is reported beside it.
 */
record BurstResult(int tickets, int versions, int ordersReplicas, boolean interleaved, List<BurstRun> runs) {

    static final double TARGET_RATIO = 0.5;

    double replicaRate() {
        return median(runs.stream().mapToDouble(BurstRun::replicaRate).sorted().toArray());
    }

    double busLiveRate() {
        return median(runs.stream().mapToDouble(BurstRun::busLiveRate).sorted().toArray());
    }

    double busReplayRate() {
        return median(runs.stream().mapToDouble(BurstRun::busReplayRate).sorted().toArray());
    }

    double ratio() {
        return busLiveRate() == 0 ? 0 : replicaRate() / busLiveRate();
    }

    double replayRatio() {
        return busReplayRate() == 0 ? 0 : replicaRate() / busReplayRate();
    }

    boolean meetsTarget() {
        return ratio() >= TARGET_RATIO;
    }

    static double median(double[] sorted) {
        if (sorted.length == 0) {
            return 0;
        }
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
