package dev.ticketing.orders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ticketing.events.OrderCancelled;
import dev.ticketing.events.OrderCreated;
import dev.ticketing.events.TicketCreated;
import dev.ticketing.events.TicketUpdated;
import dev.ticketing.events.TicketingEvent;
import dev.ticketing.events.testing.EventObserver;
import dev.ticketing.testsupport.NatsServer;
import dev.ticketing.testsupport.TestServers;
import dev.ticketing.testsupport.service.Instances;
import dev.ticketing.testsupport.service.ServiceInstance;
import dev.ticketing.testsupport.service.ServiceTest;
import io.micrometer.core.instrument.MeterRegistry;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;

/**
 * Two replicas of the orders service share one durable per subject and one database: a shuffled stream of
 * updates, split between them and handled in parallel, still ends with every ticket at its last version.
 */
@ServiceTest
class ReplicaScaleOutIntegrationTests {

    private static final int TICKETS = 50;
    private static final int UPDATES_PER_TICKET = 10;
    private static final String SELLER = "65f1c0ffee0000000000000b";

    @Test
    void twoInstancesApplyAShuffledStreamOfUpdatesToTheirFinalVersions(Instances instances) {
        try (NatsServer nats = TestServers.dedicatedNats();
                ServiceInstance first = instances.start(nats, "orders_scale_out");
                ServiceInstance second = instances.start(nats, "orders_scale_out");
                EventObserver bus = new EventObserver(nats.url(), OrderCreated.class, OrderCancelled.class)) {
            await().atMost(Duration.ofSeconds(60)).until(bus::ready);
            List<String> ids = new ArrayList<>();
            List<TicketingEvent> stream = new ArrayList<>();
            for (int n = 0; n < TICKETS; n++) {
                String id = new ObjectId().toHexString();
                ids.add(id);
                stream.add(new TicketCreated(id, 0, "Show " + n, BigDecimal.ONE, SELLER));
                for (int version = 1; version <= UPDATES_PER_TICKET; version++) {
                    stream.add(new TicketUpdated(id, version, "Show " + n + " v" + version, price(n, version), SELLER, null));
                }
            }
            Collections.shuffle(stream, new Random(42));

            stream.forEach(bus::publish);

            Tickets replica = first.bean(Tickets.class);
            await().atMost(Duration.ofSeconds(60)).until(() ->
                    replica.findAllById(ids).stream().filter(t -> t.version() == UPDATES_PER_TICKET).count() == TICKETS);
            for (int n = 0; n < TICKETS; n++) {
                Ticket ticket = replica.findById(ids.get(n)).orElseThrow();
                assertThat(ticket.title()).isEqualTo("Show " + n + " v" + UPDATES_PER_TICKET);
                assertThat(ticket.price()).isEqualByComparingTo(price(n, UPDATES_PER_TICKET));
            }
            assertThat(appliedUpdates(first) + appliedUpdates(second)).isGreaterThanOrEqualTo(TICKETS * UPDATES_PER_TICKET);
            assertThat(appliedUpdates(first)).as("updates applied by the first instance").isPositive();
            assertThat(appliedUpdates(second)).as("updates applied by the second instance").isPositive();
        }
    }

    private static BigDecimal price(int ticket, int version) {
        return BigDecimal.valueOf(1000L + ticket * 100L + version).movePointLeft(2); // distinct per ticket and version
    }

    private static double appliedUpdates(ServiceInstance instance) {
        var counter = instance.bean(MeterRegistry.class).find("ticketing.events.handled")
                .tag("subject", "ticket.updated").tag("outcome", "acked").counter();
        return counter == null ? 0 : counter.count();
    }
}
