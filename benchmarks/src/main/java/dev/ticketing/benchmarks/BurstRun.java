package dev.ticketing.benchmarks;

/**
 * One burst of {@code ticket.updated} events and the bus's delivery of the same events.
 *
 * @param events events in the burst
 * @param publishSeconds from the first publish to the last PubAck
 * @param replicaSeconds from the first publish until every replica ticket held its final version
 * @param seconds50 from the first publish until half the events were applied (likewise 90 % and 99 %): a
 *     100 % mark far behind the 99 % one means a few events waited, not that the replica was busy
 * @param deliveries deliveries the orders-service durable made meanwhile: events plus redeliveries ("not yet")
 * @param busDelivered events the bus delivered to each no-op durable: the same events (see {@link BusCeiling})
 * @param busLiveSeconds from the first publish to the last event handled by a no-op durable consuming before the
 *     burst was published: the replica's clock (median of three)
 * @param busReplaySeconds from a no-op durable's subscribe call to the last event handled, the burst already in
 *     the stream (median of three)
 * @param ordersCpuSeconds CPU time of the orders-service processes during the burst
 * @param natsCpuSeconds CPU time of nats-server during the burst
 * @param benchmarkCpuSeconds CPU time of this JVM during the burst: the MongoDB server, the publisher, the poller
 */
record BurstRun(int events, double publishSeconds, double replicaSeconds, double seconds50, double seconds90,
        double seconds99, long deliveries, long busDelivered, double busLiveSeconds,
        double busReplaySeconds, double ordersCpuSeconds, double natsCpuSeconds, double benchmarkCpuSeconds) {

    double replicaRate() {
        return events / replicaSeconds;
    }

    double busLiveRate() {
        return busDelivered / busLiveSeconds;
    }

    double busReplayRate() {
        return busDelivered / busReplaySeconds;
    }

    double deliveriesPerEvent() {
        return (double) deliveries / events;
    }
}
