package dev.ticketing.benchmarks;

/**
 * One closed-loop run of {@code POST /api/tickets}.
 *
 * @param relay whether the tickets service published its events (the outbox relay on)
 * @param created 201 answers
 * @param failures any other answer or error
 * @param seconds from the first request to the last answer
 * @param backlog (relay on) events of this run not yet on the bus when the last answer arrived
 * @param drainSeconds (relay on) from the last answer until every event of the run was on the bus
 * @param serviceCpuSeconds CPU time of tickets-service from the first request until the last answer, or with the
 *     relay on until the last event was on the bus: unlike elapsed time barely moved by other load on the machine
 * @param natsCpuSeconds the same for nats-server
 * @param benchmarkCpuSeconds the same for this JVM: the edge, the MongoDB server and the clients
 */
record LoadRun(boolean relay, long created, long failures, double seconds, long backlog, double drainSeconds,
        double serviceCpuSeconds, double natsCpuSeconds, double benchmarkCpuSeconds) {

    double cpuSeconds() {
        return serviceCpuSeconds + natsCpuSeconds + benchmarkCpuSeconds;
    }

    /** Answers per second while the clients ran. */
    double perSecond() {
        return seconds == 0 ? 0 : created / seconds;
    }

    /**
     * What the route sustains: with the relay on, the run counts as over only when its last event is on the
     * bus, so a relay that falls behind (events piling up in the documents) does not flatter the figure.
     */
    double sustainedPerSecond() {
        return seconds + drainSeconds == 0 ? 0 : created / (seconds + drainSeconds);
    }

    double cpuMillisPerRequest() {
        return perRequest(cpuSeconds());
    }

    double serviceCpuMillisPerRequest() {
        return perRequest(serviceCpuSeconds);
    }

    double natsCpuMillisPerRequest() {
        return perRequest(natsCpuSeconds);
    }

    double benchmarkCpuMillisPerRequest() {
        return perRequest(benchmarkCpuSeconds);
    }

    private double perRequest(double seconds) {
        return created == 0 ? 0 : seconds * 1000 / created;
    }
}
