package dev.ticketing.events.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import dev.ticketing.testsupport.TestServers;
import java.math.BigDecimal;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.mongodb.core.MongoTemplate;

/** The relay's removals of published entries, written together for many relays at once. */
class OutboxRemovalsIntegrationTests {

    private final MongoClient client = MongoClients.create(TestServers.mongoUri("removals_" + System.nanoTime()));
    private final MongoTemplate mongo = new MongoTemplate(client, "removals_" + System.nanoTime());
    private final OutboxRemovals removals = new OutboxRemovals(mongo);

    @AfterEach
    void closeClient() {
        client.close();
    }

    @Test
    void removesOnlyTheEntriesEachRelayPublishedWhenManyRemoveAtOnce() throws Exception {
        List<SoldTicket> tickets = IntStream.range(0, 40).mapToObj(n -> threeEvents("t" + n)).toList();

        // Each relay published the first two entries of its document; the third (a later write) is still pending.
        try (ExecutorService relays = Executors.newVirtualThreadPerTaskExecutor()) {
            List<CompletableFuture<Void>> done = tickets.stream().map(ticket -> CompletableFuture.runAsync(
                    () -> removals.remove("sold_tickets", ticket.id(),
                            ticket.outbox().subList(0, 2).stream().map(OutboxEntry::eventId).toList()),
                    relays)).toList();
            CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).join();
        }

        assertThat(tickets).allSatisfy(ticket -> assertThat(mongo.findById(ticket.id(), SoldTicket.class).outbox())
                .containsExactly(ticket.outbox().get(2)));
    }

    @Test
    void leavesOtherDocumentsAndUnknownIdsAlone() {
        SoldTicket published = threeEvents("t1");
        SoldTicket untouched = threeEvents("t2");

        removals.remove("sold_tickets", "t1", List.of(published.outbox().get(1).eventId(), "no-such-event"));

        assertThat(mongo.findById("t1", SoldTicket.class).outbox())
                .containsExactly(published.outbox().get(0), published.outbox().get(2));
        assertThat(mongo.findById("t2", SoldTicket.class).outbox()).isEqualTo(untouched.outbox());
    }

    /** A stored ticket with three pending events: created, repriced twice. */
    private SoldTicket threeEvents(String id) {
        mongo.save(SoldTicket.create(id, "Show", BigDecimal.ONE));
        for (BigDecimal price : List.of(BigDecimal.TEN, BigDecimal.TWO)) {
            SoldTicket ticket = mongo.findById(id, SoldTicket.class);
            ticket.reprice(price);
            mongo.save(ticket);
        }
        return mongo.findById(id, SoldTicket.class);
    }
}
