package dev.ticketing.benchmarks;

import java.util.List;
import java.util.function.ToDoubleFunction;

/** The timed runs of one phase; medians stand for the phase since single runs swing on 2 cores. */
record ThroughputPhase(String name, List<Throughput> runs) {

    ThroughputPhase {
        runs = List.copyOf(runs);
    }

    double median() {
        return median(Throughput::perSecond);
    }

    double medianCpuMicrosPerMessage() {
        return median(Throughput::cpuMicrosPerMessage);
    }

    long incomplete() {
        return runs.stream().mapToLong(Throughput::incomplete).sum();
    }

    private double median(ToDoubleFunction<Throughput> figure) {
        double[] values = runs.stream().mapToDouble(figure).sorted().toArray();
        if (values.length == 0) {
            return 0;
        }
        int middle = values.length / 2;
        return values.length % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }
}
