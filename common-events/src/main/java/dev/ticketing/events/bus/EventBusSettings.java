package dev.ticketing.events.bus;

import io.nats.client.support.NatsUri;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Configuration of the event bus ({@code ticketing.nats.*}). {@code url} defaults to {@code NATS_URL},
 * {@code service-name} to {@code spring.application.name} and {@code instance-name} to {@code POD_NAME} or
 * {@code HOSTNAME}. Every value is checked when the record is built, so a bad setting stops start-up with a
 * message that names it.
 *
 * @param url NATS server URL, or several separated by commas
 * @param serviceName names durable consumers ({@code <service>-<subject>}): shared by every replica
 * @param instanceName names this process's connection, for monitoring only
 * @param connectTimeout how long one connection attempt may take
 * @param reconnectWait pause between reconnection attempts (they never stop)
 * @param pingInterval how often the connection is checked; two missed pongs count as a lost server
 * @param publishTimeout how long a publish waits for JetStream's acknowledgement
 * @param shutdownTimeout how long closing may take: in-flight handlers, then draining the connection
 * @param consumerCheckInterval how often the bus checks that the streams and every durable consumer still exist
 *     on the server (it re-creates what is gone), besides after every (re)connect
 * @param stallTimeout how long a subscription may go without consuming before readiness goes DOWN and an
 *     error is logged
 */
@ConfigurationProperties("ticketing.nats")
public record EventBusSettings(
        @DefaultValue("nats://localhost:4222") String url,
        String serviceName,
        @DefaultValue("") String instanceName,
        @DefaultValue("2s") Duration connectTimeout,
        @DefaultValue("500ms") Duration reconnectWait,
        @DefaultValue("5s") Duration pingInterval,
        @DefaultValue("2s") Duration publishTimeout,
        @DefaultValue("10s") Duration shutdownTimeout,
        @DefaultValue("5s") Duration consumerCheckInterval,
        @DefaultValue("30s") Duration stallTimeout,
        @DefaultValue Stream stream,
        @DefaultValue DeadLetters deadLetters,
        @DefaultValue Consumer consumer) {

    public EventBusSettings {
        require(url != null && !url.isBlank(), "ticketing.nats.url (NATS_URL) must name a NATS server");
        servers(url);
        require(serviceName != null && !serviceName.isBlank(),
                "ticketing.nats.service-name (default: spring.application.name) must be set: it names the durable consumers");
        require(serviceName.matches("[A-Za-z0-9_-]+"),
                "ticketing.nats.service-name may hold only letters, digits, '-' and '_': " + serviceName);
        instanceName = instanceName == null ? "" : instanceName;
        positive(connectTimeout, "connect-timeout");
        positive(reconnectWait, "reconnect-wait");
        positive(pingInterval, "ping-interval");
        positive(publishTimeout, "publish-timeout");
        positive(shutdownTimeout, "shutdown-timeout");
        positive(consumerCheckInterval, "consumer-check-interval");
        positive(stallTimeout, "stall-timeout");
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(deadLetters, "deadLetters");
        Objects.requireNonNull(consumer, "consumer");
    }

    /** The servers of {@code url}, a comma-separated list; the connection fails over between them. */
    public List<String> servers() {
        return servers(url);
    }

    private static List<String> servers(String url) {
        List<String> servers = new ArrayList<>();
        for (String server : url.split(",", -1)) {
            String trimmed = server.trim();
            try {
                NatsUri parsed = new NatsUri(trimmed);
                require(!trimmed.isEmpty() && parsed.getHost() != null && !parsed.getHost().isBlank(), "no host");
            } catch (URISyntaxException | IllegalArgumentException e) {
                throw new IllegalArgumentException("ticketing.nats.url (NATS_URL) has a malformed server '" + trimmed
                        + "': give one or more URLs such as nats://nats-0:4222, separated by commas", e);
            }
            servers.add(trimmed);
        }
        return List.copyOf(servers);
    }

    /** Defaults for everything but the server and the service, for use without Spring. */
    public static EventBusSettings of(String url, String serviceName) {
        return new EventBusSettings(url, serviceName, "", Duration.ofSeconds(2), Duration.ofMillis(500),
                Duration.ofSeconds(5), Duration.ofSeconds(2), Duration.ofSeconds(10), Duration.ofSeconds(5),
                Duration.ofSeconds(30), Stream.DEFAULT, DeadLetters.DEFAULT, Consumer.DEFAULT);
    }

    public EventBusSettings withConsumer(Consumer newConsumer) {
        return new EventBusSettings(url, serviceName, instanceName, connectTimeout, reconnectWait, pingInterval,
                publishTimeout, shutdownTimeout, consumerCheckInterval, stallTimeout, stream, deadLetters, newConsumer);
    }

    public EventBusSettings withInstanceName(String newInstanceName) {
        return new EventBusSettings(url, serviceName, newInstanceName, connectTimeout, reconnectWait, pingInterval,
                publishTimeout, shutdownTimeout, consumerCheckInterval, stallTimeout, stream, deadLetters, consumer);
    }

    public EventBusSettings withStream(Stream newStream) {
        return new EventBusSettings(url, serviceName, instanceName, connectTimeout, reconnectWait, pingInterval,
                publishTimeout, shutdownTimeout, consumerCheckInterval, stallTimeout, newStream, deadLetters, consumer);
    }

    public EventBusSettings withChecks(Duration newConsumerCheckInterval, Duration newStallTimeout) {
        return new EventBusSettings(url, serviceName, instanceName, connectTimeout, reconnectWait, pingInterval,
                publishTimeout, shutdownTimeout, newConsumerCheckInterval, newStallTimeout, stream, deadLetters,
                consumer);
    }

    /**
     * The stream every event goes to.
     *
     * @param name stream name
     * @param replicas copies kept in a NATS cluster (1 on a single server)
     * @param maxAge how long events are kept; zero keeps them until limits say otherwise
     * @param duplicateWindow how long the server remembers message ids to drop re-publishes
     */
    public record Stream(
            @DefaultValue("TICKETING") String name,
            @DefaultValue("1") int replicas,
            @DefaultValue("0s") Duration maxAge,
            @DefaultValue("2m") Duration duplicateWindow) {

        public static final Stream DEFAULT = new Stream("TICKETING", 1, Duration.ZERO, Duration.ofMinutes(2));

        public Stream {
            require(name != null && name.matches("[A-Za-z0-9_-]+"), "ticketing.nats.stream.name is not a valid stream name: " + name);
            require(replicas >= 1 && replicas <= 5, "ticketing.nats.stream.replicas must be 1 to 5");
            require(maxAge != null && !maxAge.isNegative(), "ticketing.nats.stream.max-age must not be negative");
            positive(duplicateWindow, "stream.duplicate-window");
        }
    }

    /**
     * Where poison events are parked: subject {@code <subject-prefix>.<service>.<original subject>}.
     *
     * @param stream dead-letter stream name
     * @param subjectPrefix first token of dead-letter subjects
     * @param maxAge how long dead letters are kept for inspection
     */
    public record DeadLetters(
            @DefaultValue("TICKETING_DEAD_LETTERS") String stream,
            @DefaultValue("deadletter") String subjectPrefix,
            @DefaultValue("30d") Duration maxAge) {

        public static final DeadLetters DEFAULT = new DeadLetters("TICKETING_DEAD_LETTERS", "deadletter", Duration.ofDays(30));

        public DeadLetters {
            require(stream != null && stream.matches("[A-Za-z0-9_-]+"), "ticketing.nats.dead-letters.stream is not a valid stream name: " + stream);
            require(subjectPrefix != null && subjectPrefix.matches("[A-Za-z0-9_-]+"),
                    "ticketing.nats.dead-letters.subject-prefix must be one subject token: " + subjectPrefix);
            require(maxAge != null && !maxAge.isNegative(), "ticketing.nats.dead-letters.max-age must not be negative");
        }
    }

    /**
     * How every durable consumer of this service behaves.
     *
     * @param ackWait how long the server waits for an ack before redelivering
     * @param maxAckPending how many unacknowledged events one durable may have out, across replicas
     * @param maxDeliver deliveries of a failing event before it is parked as a dead letter
     * @param concurrency handlers running at once per subscription (1 keeps delivery order)
     * @param batchSize events pulled per request
     * @param notYetDelay first redelivery delay of an early event; doubles up to {@code notYetMaxDelay}
     * @param notYetMaxDelay longest redelivery delay of an early event
     * @param notYetMaxDeliveries deliveries of an event that stays early before it is parked
     * @param notYetHold batch handlers only: how long an early event is kept in the process and offered again
     *     with the following batches (every {@code notYetDelay} at the latest) before it goes back to the server;
     *     its predecessor is usually being applied by another replica at that moment. Zero gives it back at once.
     * @param retryDelay first redelivery delay after a handler failure; doubles up to {@code retryMaxDelay}
     * @param retryMaxDelay longest redelivery delay after a failure
     */
    public record Consumer(
            @DefaultValue("5s") Duration ackWait,
            @DefaultValue("1000") int maxAckPending,
            @DefaultValue("5") int maxDeliver,
            @DefaultValue("1") int concurrency,
            @DefaultValue("256") int batchSize,
            @DefaultValue("50ms") Duration notYetDelay,
            @DefaultValue("2s") Duration notYetMaxDelay,
            @DefaultValue("300") int notYetMaxDeliveries,
            @DefaultValue("500ms") Duration notYetHold,
            @DefaultValue("250ms") Duration retryDelay,
            @DefaultValue("10s") Duration retryMaxDelay) {

        public static final Consumer DEFAULT = new Consumer(Duration.ofSeconds(5), 1000, 5, 1, 256,
                Duration.ofMillis(50), Duration.ofSeconds(2), 300, Duration.ofMillis(500), Duration.ofMillis(250),
                Duration.ofSeconds(10));

        public Consumer {
            positive(ackWait, "consumer.ack-wait");
            require(maxAckPending >= 1, "ticketing.nats.consumer.max-ack-pending must be at least 1");
            require(maxDeliver >= 1, "ticketing.nats.consumer.max-deliver must be at least 1");
            require(concurrency >= 1 && concurrency <= 1024, "ticketing.nats.consumer.concurrency must be 1 to 1024");
            require(batchSize >= 1 && batchSize <= 10_000, "ticketing.nats.consumer.batch-size must be 1 to 10000");
            positive(notYetDelay, "consumer.not-yet-delay");
            positive(notYetMaxDelay, "consumer.not-yet-max-delay");
            require(notYetMaxDeliveries >= 1, "ticketing.nats.consumer.not-yet-max-deliveries must be at least 1");
            require(notYetHold != null && !notYetHold.isNegative() && notYetHold.compareTo(ackWait.dividedBy(2)) <= 0,
                    "ticketing.nats.consumer.not-yet-hold must be between 0 and half of ack-wait (" + ackWait + ")");
            positive(retryDelay, "consumer.retry-delay");
            positive(retryMaxDelay, "consumer.retry-max-delay");
        }

        public Consumer withMaxDeliver(int newMaxDeliver) {
            return new Consumer(ackWait, maxAckPending, newMaxDeliver, concurrency, batchSize, notYetDelay,
                    notYetMaxDelay, notYetMaxDeliveries, notYetHold, retryDelay, retryMaxDelay);
        }

        public Consumer withAckWait(Duration newAckWait) {
            return new Consumer(newAckWait, maxAckPending, maxDeliver, concurrency, batchSize, notYetDelay,
                    notYetMaxDelay, notYetMaxDeliveries, notYetHold, retryDelay, retryMaxDelay);
        }

        public Consumer withConcurrency(int newConcurrency) {
            return new Consumer(ackWait, maxAckPending, maxDeliver, newConcurrency, batchSize, notYetDelay,
                    notYetMaxDelay, notYetMaxDeliveries, notYetHold, retryDelay, retryMaxDelay);
        }

        /** Redelivery delay after {@code deliveries} failed attempts: doubling from {@code first}, capped. */
        static Duration backoff(Duration first, Duration max, long deliveries) {
            int doublings = (int) Math.min(Math.max(deliveries - 1, 0), 20);
            long millis = Math.min(first.toMillis() << doublings, max.toMillis());
            return Duration.ofMillis(millis);
        }
    }

    private static void positive(Duration value, String name) {
        require(value != null && value.isPositive(), "ticketing.nats." + name + " must be a positive duration");
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
