package dev.ticketing.tickets;

import static dev.ticketing.tickets.TicketsClient.ticketJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.ticketing.events.TicketCreated;
import dev.ticketing.events.TicketUpdated;
import dev.ticketing.events.VersionedEvent;
import dev.ticketing.events.testing.EventObserver;
import dev.ticketing.testsupport.NatsServer;
import dev.ticketing.testsupport.service.Instances;
import dev.ticketing.testsupport.service.ServiceInstance;
import dev.ticketing.testsupport.service.ServiceTest;
import dev.ticketing.testsupport.service.Session;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.data.mongodb.core.MongoTemplate;

/**
 * Rule 4 under faults: NATS away, NATS back with an empty store, a crash between write and publish, a write that
 * loses its version check.
 */
@ServiceTest
class OutboxFaultIntegrationTests {

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    /** A NATS server of this class's own, which the tests stop and start, and the instance of the service on it. */
    private static NatsServer nats;
    private static ServiceInstance service;
    private static Tickets tickets;
    private static MongoTemplate mongo;

    @BeforeAll
    static void start(NatsServer nats, Instances instances) {
        OutboxFaultIntegrationTests.nats = nats;
        service = instances.start(nats, "tickets_outbox_faults");
        tickets = service.bean(Tickets.class);
        mongo = service.bean(MongoTemplate.class);
    }

    @Test
    void keepsEveryEventWhileNatsIsDownAndPublishesEachOnceInOrderWhenItReturns() {
        TicketsClient client = new TicketsClient(service.http());
        Session seller = service.signIn();
        nats.stop();

        List<String> ids = new ArrayList<>();
        for (int n = 0; n < 20; n++) {
            TicketView ticket = client.created(seller.cookie(), "Show " + n, "10");
            client.update(seller.cookie(), ticket.id(), ticketJson("Show " + n, "15")).expectStatus().isOk();
            ids.add(ticket.id());
        }
        assertThat(ids).allSatisfy(id -> assertThat(tickets.findById(id).orElseThrow().outbox()).hasSize(2));

        nats.start();
        try (EventObserver bus = new EventObserver(nats.url(), TicketCreated.class, TicketUpdated.class)) {
            await().atMost(PATIENCE).until(() -> ids.stream().allMatch(id -> bus.about(id).size() >= 2));
            await().during(Duration.ofMillis(700)).atMost(PATIENCE)
                    .until(() -> ids.stream().allMatch(id -> bus.about(id).size() == 2));
            Map<String, List<Long>> versions = bus.versionsById();
            assertThat(ids).allSatisfy(id -> assertThat(versions.get(id)).containsExactly(0L, 1L));
        }
        await().atMost(PATIENCE).until(() -> ids.stream().allMatch(id -> tickets.findById(id).orElseThrow().outbox().isEmpty()));
    }

    @Test
    void publishesWhatTheOutboxHoldsToTheNewStreamWhenNatsComesBackWithAnEmptyStore() {
        TicketsClient client = new TicketsClient(service.http());
        Session seller = service.signIn();
        nats.wipeStore(); // killed, its streams gone with the store

        List<String> ids = new ArrayList<>();
        for (int n = 0; n < 10; n++) {
            ids.add(client.created(seller.cookie(), "Lost store " + n, "10").id());
        }
        assertThat(ids).allSatisfy(id -> assertThat(tickets.findById(id).orElseThrow().outbox()).hasSize(1));

        nats.start();
        // The bus makes the stream again; the outbox's sweep publishes to it and empties each outbox only on the
        // server's acknowledgement. (The resync after the lost stream may state the same tickets once more.)
        await().atMost(PATIENCE).until(() -> ids.stream().allMatch(id -> tickets.findById(id).orElseThrow().outbox()
                .isEmpty()));
        try (EventObserver bus = new EventObserver(nats.url(), TicketCreated.class, TicketUpdated.class)) {
            await().atMost(PATIENCE).until(() -> ids.stream().allMatch(id -> !bus.about(id).isEmpty()));
            assertThat(ids).allSatisfy(id -> assertThat(bus.about(id)).extracting(VersionedEvent::version)
                    .containsOnly(0L));
        }
    }

    @Test
    void publishesTheEventOfAWriteWhoseProcessDiedBeforeRelayingIt() {
        // The document as the service wrote it, inserted behind Spring Data's back: no relay was triggered,
        // exactly as if the process had died right after the write.
        Ticket written = Ticket.list("Orphan", BigDecimal.TEN, "65f1c0ffee0000000000000b");
        Document raw = new Document();
        mongo.getConverter().write(written, raw);
        mongo.getCollection("tickets").insertOne(raw);

        try (EventObserver bus = new EventObserver(nats.url(), TicketCreated.class, TicketUpdated.class)) {
            await().atMost(PATIENCE).until(() -> bus.about(written.id()).size() == 1);
            assertThat(bus.about(written.id()).getFirst().version()).isZero();
        }
        await().atMost(PATIENCE).until(() -> tickets.findById(written.id()).orElseThrow().outbox().isEmpty());
    }

    @Test
    void writeThatFailsItsVersionCheckLeavesNoEvent() {
        TicketsClient client = new TicketsClient(service.http());
        Session seller = service.signIn();
        TicketView created = client.created(seller.cookie(), "Concert", "10");
        Ticket first = tickets.findById(created.id()).orElseThrow();
        Ticket stale = tickets.findById(created.id()).orElseThrow();

        first.edit("Opera", BigDecimal.ONE, seller.userId());
        tickets.save(first);
        stale.edit("Ballet", BigDecimal.TWO, seller.userId());
        assertThatThrownBy(() -> tickets.save(stale)).isInstanceOf(OptimisticLockingFailureException.class);

        try (EventObserver bus = new EventObserver(nats.url(), TicketCreated.class, TicketUpdated.class)) {
            await().atMost(PATIENCE).until(() -> bus.about(created.id()).size() >= 2);
            await().during(Duration.ofMillis(700)).atMost(PATIENCE).until(() -> bus.about(created.id()).size() == 2);
            assertThat(bus.about(created.id())).extracting(VersionedEvent::version).containsExactly(0L, 1L);
            assertThat(bus.about(created.id()).get(1)).extracting(event -> ((dev.ticketing.events.TicketUpdated) event).title())
                    .isEqualTo("Opera");
        }
    }
}
