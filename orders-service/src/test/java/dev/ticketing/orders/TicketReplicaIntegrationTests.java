package dev.ticketing.orders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ticketing.events.EventHeaders;
import dev.ticketing.events.OrderCancelled;
import dev.ticketing.events.OrderCreated;
import dev.ticketing.events.TicketCreated;
import dev.ticketing.events.TicketUpdated;
import dev.ticketing.events.testing.EventObserver;
import dev.ticketing.testsupport.TestServers;
import dev.ticketing.testsupport.service.Observing;
import dev.ticketing.testsupport.service.ServiceTest;
import io.micrometer.core.instrument.MeterRegistry;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.Nats;
import io.nats.client.api.MessageInfo;
import java.math.BigDecimal;
import java.time.Duration;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The ticket replica fed by the real bus: the rules of concurrency, whether events come alone or together. */
@ServiceTest
class TicketReplicaIntegrationTests {

    private static final Duration PATIENCE = Duration.ofSeconds(60);
    /** JetStream's "no message found". */
    private static final int NO_MESSAGE_FOUND = 10037;
    private static final String SELLER = "65f1c0ffee0000000000000b";
    private static EventObserver bus;

    @Autowired
    Tickets tickets;
    @Autowired
    MeterRegistry meters;

    @BeforeAll
    static void connect(@Observing({OrderCreated.class, OrderCancelled.class}) EventObserver observer) {
        bus = observer;
        await().atMost(PATIENCE).until(bus::ready);
    }

    @Test
    void storesACreatedTicketWithThePublishersIdAndVersion() {
        String id = new ObjectId().toHexString();

        bus.publish(new TicketCreated(id, 0, "Concert", new BigDecimal("20.50"), SELLER));

        await().atMost(PATIENCE).until(() -> tickets.findById(id).isPresent());
        Ticket stored = tickets.findById(id).orElseThrow();
        assertThat(stored.title()).isEqualTo("Concert");
        assertThat(stored.price()).isEqualTo(new BigDecimal("20.5"));
        assertThat(stored.version()).isZero();
    }

    @Test
    void appliesAnUpdateAndTakesItsVersion() {
        String id = created("Concert", "20");

        bus.publish(new TicketUpdated(id, 1, "Opera", new BigDecimal("30"), SELLER, null));

        await().atMost(PATIENCE).until(() -> tickets.findById(id).orElseThrow().version() == 1);
        Ticket stored = tickets.findById(id).orElseThrow();
        assertThat(stored.title()).isEqualTo("Opera");
        assertThat(stored.price()).isEqualByComparingTo("30");
        await().atMost(PATIENCE).until(() -> bus.settled("orders-service-ticket-updated"));
    }

    @Test
    void holdsBackASkippedVersionUntilItsPredecessorsArrive() throws Exception {
        String id = created("Concert", "20");
        double notYetBefore = notYetCount();

        bus.publish(new TicketUpdated(id, 10, "Final", new BigDecimal("100"), SELLER, null));

        // Not applied, and not acknowledged: the handler says "not yet" and the bus brings it back.
        await().atMost(PATIENCE).until(() -> notYetCount() >= notYetBefore + 2);
        assertThat(tickets.findById(id).orElseThrow().version()).isZero();
        assertThat(bus.settled("orders-service-ticket-updated")).isFalse();

        for (int version = 1; version <= 9; version++) {
            bus.publish(new TicketUpdated(id, version, "Step " + version, new BigDecimal(version), SELLER, null));
        }

        await().atMost(PATIENCE).until(() -> tickets.findById(id).orElseThrow().version() == 10);
        Ticket stored = tickets.findById(id).orElseThrow();
        assertThat(stored.title()).isEqualTo("Final");
        assertThat(stored.price()).isEqualByComparingTo("100");
        await().atMost(PATIENCE).until(() -> bus.settled("orders-service-ticket-updated"));
    }

    @Test
    void waitsForTheCreationOfATicketItHasNotSeen() {
        String id = new ObjectId().toHexString();

        bus.publish(new TicketUpdated(id, 1, "Opera", new BigDecimal("30"), SELLER, null));
        await().during(Duration.ofMillis(300)).atMost(PATIENCE).until(() -> tickets.findById(id).isEmpty());
        bus.publish(new TicketCreated(id, 0, "Concert", new BigDecimal("20"), SELLER));

        await().atMost(PATIENCE).until(() -> tickets.findById(id).map(Ticket::version).orElse(-1L) == 1);
        assertThat(tickets.findById(id).orElseThrow().title()).isEqualTo("Opera");
    }

    @Test
    void acknowledgesRepeatsWithoutChangingTheReplica() {
        String id = created("Concert", "20");
        TicketUpdated first = new TicketUpdated(id, 1, "Opera", new BigDecimal("30"), SELLER, null);
        TicketUpdated second = new TicketUpdated(id, 2, "Ballet", new BigDecimal("40"), SELLER, "65f1c0ffee0000000000000c");
        bus.publish(first);
        bus.publish(second);
        await().atMost(PATIENCE).until(() -> tickets.findById(id).orElseThrow().version() == 2);

        bus.publish(first);
        bus.publish(second);
        bus.publish(new TicketCreated(id, 0, "Concert", new BigDecimal("20"), SELLER));

        await().atMost(PATIENCE).until(() -> bus.settled("orders-service-ticket-updated")
                && bus.settled("orders-service-ticket-created"));
        Ticket stored = tickets.findById(id).orElseThrow();
        assertThat(stored.version()).isEqualTo(2);
        assertThat(stored.title()).isEqualTo("Ballet");
        assertThat(stored.price()).isEqualByComparingTo("40");
    }

    @Test
    void parksAnUpdateItCannotStoreAndKeepsTheVersionItHolds() throws Exception {
        String id = created("Concert", "20");
        // 40 significant digits: more than a Decimal128 holds exactly, so storing it would change the price.
        BigDecimal unstorable = new BigDecimal("1234567890123456789012345678901234567890.5");

        bus.publish(new TicketUpdated(id, 1, "Opera", unstorable, SELLER, null));

        await().atMost(PATIENCE).until(() -> parkedMentioning(id));
        // Rejected: parked on its first delivery, without the max-deliver retries no delivery could pass.
        assertThat(lastDeadLetter().getHeaders().getFirst(EventHeaders.DEAD_LETTER_DELIVERIES)).isEqualTo("1");
        assertThat(lastDeadLetter().getHeaders().getFirst(EventHeaders.DEAD_LETTER_REASON)).isEqualTo("rejected");
        assertThat(tickets.findById(id).orElseThrow().version()).isZero();
        assertThat(tickets.findById(id).orElseThrow().title()).isEqualTo("Concert");
    }

    /**
     * Whether the last dead letter of {@code ticket.updated} is about ticket {@code id}. Other tests park on other
     * subjects of the same server, so "none on this subject yet" (JetStream's 10037) means not yet, not a failure.
     */
    private static boolean parkedMentioning(String id) throws Exception {
        try {
            return new String(lastDeadLetter().getData(), java.nio.charset.StandardCharsets.UTF_8).contains(id);
        } catch (JetStreamApiException noneYet) {
            if (noneYet.getApiErrorCode() == NO_MESSAGE_FOUND) {
                return false;
            }
            throw noneYet;
        }
    }

    private static MessageInfo lastDeadLetter() throws Exception {
        try (Connection connection = Nats.connect(TestServers.nats().url())) {
            return connection.jetStreamManagement().getLastMessage("TICKETING_DEAD_LETTERS",
                    "deadletter.orders-service.ticket.updated");
        }
    }

    private String created(String title, String price) {
        String id = new ObjectId().toHexString();
        bus.publish(new TicketCreated(id, 0, title, new BigDecimal(price), SELLER));
        await().atMost(PATIENCE).until(() -> tickets.findById(id).isPresent());
        return id;
    }

    private double notYetCount() {
        var counter = meters.find("ticketing.events.handled").tag("subject", "ticket.updated").tag("outcome", "not_yet")
                .counter();
        return counter == null ? 0 : counter.count();
    }
}
