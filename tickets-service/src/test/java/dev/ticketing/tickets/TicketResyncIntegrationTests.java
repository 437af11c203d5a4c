package dev.ticketing.tickets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ticketing.events.EventEnvelope;
import dev.ticketing.events.OrderCancelled;
import dev.ticketing.events.TicketCreated;
import dev.ticketing.events.TicketUpdated;
import dev.ticketing.events.testing.EventObserver;
import dev.ticketing.testsupport.NatsServer;
import dev.ticketing.testsupport.TestServers;
import dev.ticketing.testsupport.service.Instances;
import dev.ticketing.testsupport.service.ServiceInstance;
import dev.ticketing.testsupport.service.ServiceTest;
import io.micrometer.core.instrument.MeterRegistry;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;
import org.springframework.data.mongodb.core.MongoOperations;
import org.springframework.data.mongodb.core.query.Query;

/**
 * NATS comes back with an empty store: the tickets service restates every ticket once, marked as a resync, whether
 * it saw the loss while running (two replicas, one of them does it) or starts after it; and a resynced cancellation
 * releases what its order holds without waiting for anything else.
 */
@ServiceTest
class TicketResyncIntegrationTests {

    private static final Duration PATIENCE = Duration.ofSeconds(60); // generous: CI runs with a core kept busy
    private static final String SELLER = "65f1c0ffee0000000000000b";

    private final String database = "tickets_resync_" + System.nanoTime();

    @Test
    void oneOfTwoReplicasRestatesEveryTicketOnceWhenTheStreamIsCreatedAgain(Instances instances) {
        try (NatsServer nats = TestServers.dedicatedNats();
                ServiceInstance first = instances.start(nats, database);
                ServiceInstance second = instances.start(nats, database);
                EventObserver bus = new EventObserver(nats.url(), TicketCreated.class, TicketUpdated.class)) {
            await().atMost(PATIENCE).until(bus::ready);
            awaitFirstMarker(first);
            Tickets tickets = first.bean(Tickets.class);
            List<String> ids = listed(tickets, 30);
            edit(tickets, ids.get(0));
            reserve(tickets, ids.get(1), new ObjectId().toHexString());
            await().atMost(PATIENCE).until(() -> tickets.findAll().stream().allMatch(ticket -> ticket.outbox().isEmpty()));

            nats.wipeStore();
            nats.start();

            await().atMost(PATIENCE).until(() -> bus.resyncs().size() >= ids.size());
            assertThat(bus.resyncs()).containsExactlyInAnyOrderElementsOf(
                    tickets.findAll().stream().map(Ticket::currentState).toList());
            assertThat(bus.resyncs()).filteredOn(TicketUpdated.class::isInstance).hasSize(2);
            await().atMost(PATIENCE).until(() -> republished(first) + republished(second) == ids.size());
            assertThat(List.of(republished(first), republished(second)))
                    .as("records republished by each replica").containsExactlyInAnyOrder(30.0, 0.0);
        }
    }

    @Test
    void aServiceStartedAfterTheLossRestatesEveryTicket(Instances instances) {
        try (NatsServer nats = TestServers.dedicatedNats();
                EventObserver bus = new EventObserver(nats.url(), TicketCreated.class, TicketUpdated.class)) {
            List<TicketCreated> states = new ArrayList<>();
            try (ServiceInstance before = instances.start(nats, database)) {
                awaitFirstMarker(before);
                Tickets tickets = before.bean(Tickets.class);
                listed(tickets, 5);
                await().atMost(PATIENCE).until(() -> tickets.findAll().stream().allMatch(ticket -> ticket.outbox().isEmpty()));
                tickets.findAll().forEach(ticket -> states.add((TicketCreated) ticket.currentState()));
            }

            // Lost while no tickets-service runs; the observer's bus makes the stream again.
            nats.wipeStore();
            nats.start();
            await().atMost(PATIENCE).until(bus::ready);

            try (ServiceInstance after = instances.start(nats, database)) {
                await().atMost(PATIENCE).until(() -> bus.resyncs().size() >= states.size());
                assertThat(bus.resyncs()).containsExactlyInAnyOrderElementsOf(states);
            }
        }
    }

    @Test
    void aResyncedCancellationReleasesWhatItsOrderHoldsAndIsAcknowledgedWhereItHoldsNothing(Instances instances) throws Exception {
        try (NatsServer nats = TestServers.dedicatedNats();
                ServiceInstance service = instances.start(nats, database);
                EventObserver bus = new EventObserver(nats.url(), TicketCreated.class)) {
            await().atMost(PATIENCE).until(bus::ready);
            Tickets tickets = service.bean(Tickets.class);
            List<String> ids = listed(tickets, 2);
            String holder = new ObjectId().toHexString();
            reserve(tickets, ids.get(0), holder);
            Instant stream = Instant.now();

            bus.publish(EventEnvelope.resync(new OrderCancelled(holder, 1, new OrderCancelled.Ticket(ids.get(0))), stream));
            // An order this ticket never saw (its order.created went with the lost stream): nothing to wait for.
            String stranger = new ObjectId().toHexString();
            bus.publish(EventEnvelope.resync(new OrderCancelled(stranger, 1, new OrderCancelled.Ticket(ids.get(1))), stream));

            await().atMost(PATIENCE).until(() -> tickets.findById(ids.get(0)).orElseThrow().orderId() == null);
            await().atMost(PATIENCE).until(() -> bus.settled("tickets-service-order-cancelled"));
            Ticket untouched = tickets.findById(ids.get(1)).orElseThrow();
            assertThat(untouched.version()).isZero();
            assertThat(untouched.orderId()).isNull();
        }
    }

    /** A fresh service stores its first marker and republishes nothing; records written after it stay unrestated. */
    private static void awaitFirstMarker(ServiceInstance instance) {
        MongoOperations mongo = instance.bean(MongoOperations.class);
        await().atMost(PATIENCE).until(() -> mongo.exists(new Query(), "stream_epochs"));
    }

    private static List<String> listed(Tickets tickets, int count) {
        return IntStream.range(0, count)
                .mapToObj(n -> tickets.save(Ticket.list("Show " + n, BigDecimal.valueOf(10 + n), SELLER)).id())
                .toList();
    }

    private static void edit(Tickets tickets, String id) {
        Ticket ticket = tickets.findById(id).orElseThrow();
        ticket.edit("Edited", new BigDecimal("99"), SELLER);
        tickets.save(ticket);
    }

    private static void reserve(Tickets tickets, String id, String orderId) {
        Ticket ticket = tickets.findById(id).orElseThrow();
        ticket.reserveFor(orderId);
        tickets.save(ticket);
    }

    private static double republished(ServiceInstance instance) {
        return instance.bean(MeterRegistry.class).get("ticketing.resync.republished").counter().count();
    }
}
