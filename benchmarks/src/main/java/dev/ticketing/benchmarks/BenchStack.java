package dev.ticketing.benchmarks;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import dev.ticketing.localstack.LocalStack;
import dev.ticketing.localstack.StackSettings;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * One running stack on a MongoDB-compatible server of its own (mongo-java-server, in memory, in this JVM), which the
 * benchmark reads the orders replica from; {@code mongoUri} names no database: the stack gives each service its own.
 */
record BenchStack(LocalStack stack, MongoServer mongo, String mongoUri) implements AutoCloseable {

    static BenchStack start(StackSettings.Builder settings) {
        MongoServer mongo = new MongoServer(new MemoryBackend());
        try {
            mongo.bind(new InetSocketAddress("127.0.0.1", 0));
            String uri = "mongodb://127.0.0.1:" + mongo.getLocalAddress().getPort();
            return new BenchStack(LocalStack.start(settings.port(0).mongoUri(uri).echoLogs(false).build()), mongo, uri);
        } catch (RuntimeException e) {
            mongo.shutdownNow();
            throw e;
        }
    }

    String natsUrl() {
        return stack.nats().url();
    }

    /** Starts counting CPU time: {@code get()} returns the seconds spent since. */
    Supplier<Cpu> cpu(String service) {
        List<Long> replicas = stack.service(service).replicas().stream().map(replica -> replica.pid()).toList();
        List<Long> nats = stack.nats().pid().stream().boxed().toList();
        long serviceNanos = cpuNanos(replicas);
        long natsNanos = cpuNanos(nats);
        long ownNanos = Figures.ownCpuNanos();
        return () -> new Cpu((cpuNanos(replicas) - serviceNanos) / 1e9, (cpuNanos(nats) - natsNanos) / 1e9,
                (Figures.ownCpuNanos() - ownNanos) / 1e9);
    }

    private static long cpuNanos(List<Long> pids) {
        return pids.stream().mapToLong(pid -> ProcessHandle.of(pid)
                .flatMap(process -> process.info().totalCpuDuration()).map(Duration::toNanos).orElse(0L)).sum();
    }

    /** CPU seconds of a service's replicas, nats-server and this JVM: barely moved by other load, unlike time. */
    record Cpu(double service, double nats, double own) {
    }

    @Override
    public void close() {
        try {
            stack.close();
        } finally {
            mongo.shutdownNow();
        }
    }
}
