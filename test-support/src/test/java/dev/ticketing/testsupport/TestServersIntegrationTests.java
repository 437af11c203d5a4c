package dev.ticketing.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import java.time.Duration;
import org.bson.Document;
import org.junit.jupiter.api.Test;

class TestServersIntegrationTests {

    @Test
    void providesJetStreamEnabledNats() throws Exception {
        try (Connection connection = Nats.connect(TestServers.nats().url())) {
            assertThat(connection.getServerInfo().isJetStreamAvailable()).isTrue();
        }
    }

    @Test
    void restartedNatsKeepsItsAddressAndStore() throws Exception {
        try (NatsServer server = TestServers.dedicatedNats()) {
            Options options = Options.builder().server(server.url()).maxReconnects(-1)
                    .reconnectWait(Duration.ofMillis(50)).build();
            try (Connection connection = Nats.connect(options)) {
                JetStreamManagement jsm = connection.jetStreamManagement();
                jsm.addStream(StreamConfiguration.builder().name("KEPT").subjects("kept.>")
                        .storageType(StorageType.File).build());
                connection.jetStream().publish("kept.one", "hello".getBytes());

                server.stop();
                await().atMost(Duration.ofSeconds(30)).until(() -> connection.getStatus() != Connection.Status.CONNECTED);
                server.start();
                await().atMost(Duration.ofSeconds(30)).until(() -> connection.getStatus() == Connection.Status.CONNECTED);

                assertThat(jsm.getStreamInfo("KEPT").getStreamState().getMsgCount()).isEqualTo(1);
            }
        }
    }

    @Test
    void providesMongoDbCompatibleServer() {
        try (MongoClient client = MongoClients.create(TestServers.mongoUri("test_support"))) {
            var collection = client.getDatabase("test_support").getCollection("probe");
            collection.insertOne(new Document("answer", 42));
            assertThat(collection.find().first()).containsEntry("answer", 42);
        }
    }
}
