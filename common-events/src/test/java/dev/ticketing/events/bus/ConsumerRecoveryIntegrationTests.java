package dev.ticketing.events.bus;

import static dev.ticketing.events.bus.BusFixture.READY;
import static dev.ticketing.events.bus.BusFixture.ready;
import static dev.ticketing.events.bus.BusFixture.ticket;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ticketing.events.TicketCreated;
import dev.ticketing.testsupport.NatsServer;
import dev.ticketing.testsupport.TestServers;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.ConsumerConfiguration;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The server loses what the bus provisioned (a durable deleted by hand, NATS back with an empty store): the bus
 * creates it again by itself and nothing published afterwards is missed. The fixture checks every 200 ms and
 * calls a subscription stalled after 2 s. (Deleting and re-creating the stream by hand is not tested here:
 * nats-server 2.9.10 breaks a stream re-created right after its deletion, "error opening msg block file".)
 */
class ConsumerRecoveryIntegrationTests {

    private static final String DURABLE = "orders-service-ticket-created";

    private final BusFixture fixture = new BusFixture();
    private final Recorder<TicketCreated> recorder = new Recorder<>();
    private NatsEventBus publisher;
    private NatsEventBus consumer;

    @AfterEach
    void stopEverything() {
        fixture.close();
    }

    @Test
    void recreatesADurableDeletedWhileRunningAndMissesNothingAfterIt() throws Exception {
        flowing(5);

        await().atMost(READY).ignoreExceptions().until(() -> fixture.inspect(ConsumerRecoveryIntegrationTests::deleteIfPresent));
        IntStream.range(5, 10).forEach(n -> publisher.publish(ticket(n)));

        await().atMost(READY).until(() -> recorder.events.containsAll(tickets(5, 10)));
        String recreated = fixture.inspect(jsm -> jsm.getConsumerInfo("TICKETING", DURABLE).getName());
        assertThat(recreated).isEqualTo(DURABLE);
        await().atMost(READY).until(() -> consumer.status().ready());
    }

    @Test
    void comesBackByItselfWhenNatsRestartsWithAnEmptyStore() {
        flowing(3);

        fixture.server.wipeStore();
        fixture.server.start();

        await().atMost(READY).ignoreExceptions().until(() -> {
            publisher.publish(ticket(3));
            return true;
        });
        await().atMost(READY).until(() -> recorder.events.contains(ticket(3)));
        await().atMost(READY).until(() -> consumer.status().ready() && publisher.status().ready());
    }

    @Test
    void reportsAStallAndGoesNotReadyWhileTheDurableCannotBeMadeThenRecovers() throws Exception {
        consumer = fixture.bus("orders-service");
        consumer.subscribe(TicketCreated.class, recorder);
        ready(consumer);
        SimpleMeterRegistry meters = fixture.meters(consumer);
        assertThat(meters.get("ticketing.events.consuming").tag("durable", DURABLE).gauge().value()).isEqualTo(1);

        // Someone takes the durable's name for a push consumer of their own: ours cannot be made again.
        ConsumerConfiguration squatter = ConsumerConfiguration.builder().durable(DURABLE)
                .deliverSubject("someone.elses.inbox").filterSubject("ticket.created").build();
        await().atMost(READY).ignoreExceptions().until(() -> fixture.inspect(jsm -> {
            deleteIfPresent(jsm);
            jsm.addOrUpdateConsumer("TICKETING", squatter);
            return jsm.getConsumerInfo("TICKETING", DURABLE).getConsumerConfiguration().getDeliverSubject() != null;
        }));

        await().atMost(READY).until(() -> !consumer.status().ready());
        assertThat(consumer.status().stalled()).singleElement().asString().startsWith(DURABLE + ": ");
        assertThat(meters.get("ticketing.events.consuming").tag("durable", DURABLE).gauge().value()).isZero();

        await().atMost(READY).ignoreExceptions().until(() -> fixture.inspect(ConsumerRecoveryIntegrationTests::deleteIfPresent));

        await().atMost(READY).until(() -> consumer.status().ready());
        assertThat(consumer.status().stalled()).isEmpty();
        assertThat(meters.get("ticketing.events.consuming").tag("durable", DURABLE).gauge().value()).isEqualTo(1);
    }

    @Test
    void failsOverToTheNextServerOfTheList() {
        NatsServer down = TestServers.dedicatedNats();
        down.stop();
        NatsEventBus bus = NatsEventBus.start(EventBusSettings.of(down.url() + "," + fixture.server.url(),
                "orders-service"), new SimpleMeterRegistry());
        try (down) {
            bus.subscribe(TicketCreated.class, recorder);
            ready(bus);
            bus.publish(ticket(1));
            await().atMost(READY).until(() -> recorder.events.contains(ticket(1)));
        } finally {
            bus.close();
        }
    }

    @Test
    void saysClearlyWhyAStreamWithMoreReplicasThanServersCannotBeMade() {
        NatsEventBus bus = NatsEventBus.start(EventBusSettings.of(fixture.server.url(), "orders-service")
                .withStream(new EventBusSettings.Stream("TICKETING", 3, Duration.ZERO, Duration.ofMinutes(2))),
                new SimpleMeterRegistry());
        try {
            await().atMost(READY).until(() -> bus.status().lastError() != null);
            assertThat(bus.status().lastError()).contains("Cannot create stream TICKETING with 3 replica(s)")
                    .contains("ticketing.nats.stream.replicas must not exceed");
            assertThat(bus.status().ready()).isFalse();
        } finally {
            bus.close();
        }
    }

    /** A publisher and a consumer of ticket.created, with {@code events} published and handled. */
    private void flowing(int events) {
        publisher = ready(fixture.bus("tickets-service"));
        consumer = fixture.bus("orders-service");
        consumer.subscribe(TicketCreated.class, recorder);
        ready(consumer);
        IntStream.range(0, events).forEach(n -> publisher.publish(ticket(n)));
        await().atMost(READY).until(() -> recorder.events.size() == events);
    }

    /** nats-server 2.9 sometimes fails a delete racing the consumer's own writes ("directory not empty"): callers retry. */
    private static boolean deleteIfPresent(JetStreamManagement jsm) throws Exception {
        try {
            return jsm.deleteConsumer("TICKETING", DURABLE);
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() == 10014) { // consumer not found
                return true;
            }
            throw e;
        }
    }

    private static List<TicketCreated> tickets(int from, int to) {
        return IntStream.range(from, to).mapToObj(BusFixture::ticket).toList();
    }
}
