package dev.ticketing.orders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ticketing.events.OrderCancelled;
import dev.ticketing.events.OrderCreated;
import dev.ticketing.events.TicketCreated;
import dev.ticketing.events.TicketUpdated;
import dev.ticketing.events.testing.EventObserver;
import dev.ticketing.testsupport.NatsServer;
import dev.ticketing.testsupport.TcpProxy;
import dev.ticketing.testsupport.TestServers;
import dev.ticketing.testsupport.service.Instances;
import dev.ticketing.testsupport.service.ServiceInstance;
import dev.ticketing.testsupport.service.ServiceTest;
import io.micrometer.core.instrument.MeterRegistry;
import io.nats.client.Connection;
import io.nats.client.Nats;
import java.math.BigDecimal;
import java.time.Duration;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;

/**
 * The replica's database goes away while updates arrive: they are not parked as poison, however many times they
 * fail, and every one of them is applied once the database is back. The outage is a TCP proxy between the
 * service and MongoDB that drops every connection, so the data itself is untouched.
 */
@ServiceTest
class ReplicaDatabaseOutageIntegrationTests {

    private static final String SELLER = "65f1c0ffee0000000000000b";
    private static final int UPDATES = 5;
    private static final int MAX_DELIVER = 5; // common-events' default, which orders-service keeps

    @Test
    void keepsUpdatesThroughADatabaseOutageAndAppliesThemWhenItIsBack(Instances instances) throws Exception {
        String database = "orders_database_outage";
        try (NatsServer nats = TestServers.dedicatedNats();
                TcpProxy proxy = Instances.mongoProxy();
                ServiceInstance orders = instances.startThrough(proxy, nats, database);
                EventObserver bus = new EventObserver(nats.url(), OrderCreated.class, OrderCancelled.class)) {
            await().atMost(Duration.ofSeconds(60)).until(bus::ready);
            Tickets replica = orders.bean(Tickets.class);
            String id = new ObjectId().toHexString();
            bus.publish(new TicketCreated(id, 0, "Concert", new BigDecimal("20"), SELLER));
            await().atMost(Duration.ofSeconds(60)).until(() -> replica.findById(id).isPresent());

            proxy.cut();
            for (int version = 1; version <= UPDATES; version++) {
                bus.publish(new TicketUpdated(id, version, "Concert v" + version, BigDecimal.valueOf(20 + version),
                        SELLER, null));
            }
            // More deliveries of every update than max-deliver: a poison event would have been parked by now.
            await().atMost(Duration.ofSeconds(60))
                    .failFast("an update was parked as a dead letter", () -> deadLetters(nats) > 0)
                    .until(() -> updateDeliveries(nats) >= UPDATES * (MAX_DELIVER + 1));
            assertThat(failedUpdates(orders)).as("failed attempts seen by the handler").isGreaterThanOrEqualTo(UPDATES);
            proxy.restore();

            await().atMost(Duration.ofSeconds(30)).until(() -> replica.findById(id).map(Ticket::version).orElse(-1L) == UPDATES);
            Ticket stored = replica.findById(id).orElseThrow();
            assertThat(stored.title()).isEqualTo("Concert v" + UPDATES);
            assertThat(stored.price()).isEqualByComparingTo(BigDecimal.valueOf(20 + UPDATES));
            assertThat(deadLetters(nats)).as("events parked as dead letters").isZero();
        }
    }

    private static double failedUpdates(ServiceInstance instance) {
        var counter = instance.bean(MeterRegistry.class).find("ticketing.events.handled")
                .tag("subject", "ticket.updated").tag("outcome", "failed").counter();
        return counter == null ? 0 : counter.count();
    }

    /** Deliveries the orders-service durable has made of ticket.updated events, redeliveries included. */
    private static long updateDeliveries(NatsServer nats) throws Exception {
        try (Connection connection = Nats.connect(nats.url())) {
            return connection.jetStreamManagement().getConsumerInfo("TICKETING", "orders-service-ticket-updated")
                    .getDelivered().getConsumerSequence();
        }
    }

    private static long deadLetters(NatsServer nats) throws Exception {
        try (Connection connection = Nats.connect(nats.url())) {
            return connection.jetStreamManagement().getStreamInfo("TICKETING_DEAD_LETTERS").getStreamState().getMsgCount();
        }
    }
}
