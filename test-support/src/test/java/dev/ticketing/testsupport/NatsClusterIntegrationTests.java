package dev.ticketing.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamOptions;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.PublishOptions;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.support.JsonParser;
import io.nats.client.support.JsonValue;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class NatsClusterIntegrationTests {

    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final String STREAM = "REPLICATED";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private NatsCluster cluster;
    private Connection connection;
    private JetStreamManagement jsm;
    private JetStream js;
    private int published;

    @BeforeEach
    void startClusterWithReplicatedStream() throws Exception {
        cluster = TestServers.natsCluster();
        // Every node's URL, so the client fails over; short pings, so a paused server is noticed.
        connection = Nats.connect(Options.builder().server(cluster.url()).maxReconnects(-1)
                .reconnectWait(Duration.ofMillis(100)).pingInterval(Duration.ofSeconds(1)).build());
        // A longer answer bound than jnats' 2 s default: placing a three-replica stream is a round of the meta group
        // and a new Raft group, which took over 2 s on a loaded 2-core machine.
        JetStreamOptions patient = JetStreamOptions.builder().requestTimeout(Duration.ofSeconds(15)).build();
        jsm = connection.jetStreamManagement(patient);
        js = connection.jetStream(patient);
        // No retry: once the cluster says it is ready, a three-replica stream can be placed.
        jsm.addStream(StreamConfiguration.builder().name(STREAM).subjects("replicated.>")
                .storageType(StorageType.File).replicas(3).build());
    }

    @AfterEach
    void closeCluster() throws InterruptedException {
        if (connection != null) {
            connection.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void replicatesAStreamOnEveryNode() throws Exception {
        publish(10);

        assertThat(cluster.urls()).hasSize(3);
        assertThat(cluster.url()).isEqualTo(String.join(",", cluster.urls()));
        assertThat(jsm.getStreamInfo(STREAM).getClusterInfo().getReplicas()).hasSize(2);
        everyNodeStores(10);
    }

    @Test
    void keepsPublishingWhenTheStreamLeaderIsKilledAndTheRestartedLeaderCatchesUp() throws Exception {
        publish(10);
        ProcessNatsServer leader = cluster.node(streamLeader());

        leader.kill();
        publish(10);
        assertThat(streamLeader()).isNotEqualTo(leader.name());

        leader.start();
        publish(5);
        everyNodeStores(25);
    }

    @Test
    void nodeWhoseStoreWasWipedRejoinsAndCatchesUp() throws Exception {
        publish(10);
        ProcessNatsServer follower = aFollower();

        follower.stop();
        follower.wipeStore();
        publish(10);
        follower.start();

        everyNodeStores(20);
    }

    @Test
    void restartedNodeHoldsEveryMessageOnceReady() throws Exception {
        publish(10);
        ProcessNatsServer follower = aFollower();

        follower.restart();

        assertThat(storedOn(follower)).isEqualTo(10);
        publish(5);
        everyNodeStores(15);
    }

    @Test
    void pausedNodeCatchesUpWhenResumed() throws Exception {
        publish(10);
        // A follower: on 2.9.10 a paused stream leader, resumed, can keep a store that lacks messages (see README).
        ProcessNatsServer follower = aFollower();

        follower.pause();
        publish(10);

        follower.resume();
        publish(5);
        everyNodeStores(25);
    }

    /** Publishes {@code count} messages, each retried until the stream acknowledges it (ids make retries safe). */
    private void publish(int count) {
        for (int i = 0; i < count; i++) {
            String id = "message-" + ++published;
            PublishOptions options = PublishOptions.builder().messageId(id).build();
            await().atMost(DEADLINE).pollDelay(Duration.ZERO).ignoreExceptions()
                    .until(() -> js.publish("replicated." + id, id.getBytes(StandardCharsets.UTF_8), options) != null);
        }
    }

    /** The stream's leader, as the cluster reports it once one is elected. */
    private String streamLeader() {
        return await().atMost(DEADLINE).ignoreExceptions()
                .until(() -> jsm.getStreamInfo(STREAM).getClusterInfo().getLeader(), leader -> leader != null);
    }

    private ProcessNatsServer aFollower() {
        String leader = streamLeader();
        return cluster.nodes().stream().filter(node -> !node.name().equals(leader)).findFirst().orElseThrow();
    }

    private void everyNodeStores(long messages) {
        for (ProcessNatsServer node : cluster.nodes()) {
            await("messages stored on " + node.name()).atMost(DEADLINE).ignoreExceptions()
                    .until(() -> storedOn(node), stored -> stored == messages);
        }
    }

    /** How many messages of the stream this node holds itself, read from its own {@code /jsz}. */
    private static long storedOn(ProcessNatsServer node) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(node.monitoringUri().resolve("/jsz?accounts=true&streams=true"))
                .timeout(Duration.ofSeconds(5)).build();
        JsonValue jsz = JsonParser.parse(HTTP.send(request, HttpResponse.BodyHandlers.ofString()).body());
        List<JsonValue> accounts = jsz.map.get("account_details").array;
        return accounts.stream()
                .flatMap(account -> account.map.getOrDefault("stream_detail", JsonValue.EMPTY_ARRAY).array.stream())
                .filter(stream -> stream.map.get("name").string.equals(STREAM))
                .mapToLong(stream -> stream.map.get("state").map.get("messages").number.longValue())
                .findFirst()
                .orElseThrow(() -> new AssertionError(node.name() + " holds no stream " + STREAM + ": " + jsz.toJson()));
    }
}
