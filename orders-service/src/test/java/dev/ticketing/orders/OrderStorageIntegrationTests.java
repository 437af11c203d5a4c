package dev.ticketing.orders;

import static dev.ticketing.orders.OrdersClient.ticketInReplica;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ticketing.events.EventType;
import dev.ticketing.events.OrderStatus;
import dev.ticketing.events.PaymentCreated;
import dev.ticketing.events.TicketUpdated;
import dev.ticketing.events.bus.BatchEventHandler.Delivery;
import dev.ticketing.events.bus.EventMetadata;
import dev.ticketing.events.bus.Verdict;
import dev.ticketing.events.outbox.OutboxEntry;
import dev.ticketing.testsupport.TestServersConfiguration;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.data.mongodb.test.autoconfigure.DataMongoTest;
import org.springframework.context.annotation.Import;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.data.mongodb.core.CollectionCallback;
import org.springframework.data.mongodb.core.MongoTemplate;

/**
 * The rules the database itself keeps, below the HTTP routes and the bus: one active order per ticket, stale saves
 * fail (a payment that loses its race with expiry comes again and finds the order cancelled), and the replica's
 * conditional writes refuse a version that moved on and never lose or reorder a version, however many batches race.
 * A data slice: the repositories and the replica's handler on the test servers' MongoDB, with neither the web nor
 * the bus.
 */
@DataMongoTest
@Import({TestServersConfiguration.class, Tickets.class, TicketUpdatedHandler.class})
class OrderStorageIntegrationTests {

    private static final String BUYER = "65f1c0ffee0000000000000b";
    private static final String OTHER_BUYER = "65f1c0ffee0000000000000d";
    private static final Duration WINDOW = Duration.ofMinutes(15);

    @Autowired
    Orders orders;
    @Autowired
    Tickets tickets;
    @Autowired
    TicketUpdatedHandler updates;
    @Autowired
    MongoTemplate mongo;

    @Test
    void refusesASecondActiveOrderForOneTicket() {
        Ticket ticket = ticketInReplica(tickets, "Concert", "20");
        orders.save(Order.place(BUYER, ticket, Instant.now(), WINDOW));

        assertThatThrownBy(() -> orders.save(Order.place(OTHER_BUYER, ticket, Instant.now(), WINDOW)))
                .isInstanceOf(DuplicateKeyException.class);
    }

    @Test
    void keepsAnyNumberOfCancelledOrdersBesideTheActiveOneForATicket() {
        Ticket ticket = ticketInReplica(tickets, "Concert", "20");
        for (int n = 0; n < 3; n++) {
            Order order = orders.save(Order.place(BUYER, ticket, Instant.now(), WINDOW));
            order.cancel();
            orders.save(order);
        }

        Order active = orders.save(Order.place(OTHER_BUYER, ticket, Instant.now(), WINDOW));

        assertThat(orders.findAll()).filteredOn(order -> order.ticketId().equals(ticket.id()))
                .extracting(Order::status).containsExactlyInAnyOrder(OrderStatus.CANCELLED, OrderStatus.CANCELLED,
                        OrderStatus.CANCELLED, OrderStatus.CREATED);
        assertThat(active.version()).isZero();
    }

    @Test
    void aSaveBasedOnAStaleVersionFailsAndTheFirstChangeStands() {
        Ticket ticket = ticketInReplica(tickets, "Concert", "20");
        // Due only at the instant given to expire() below: the running expiry sweep leaves it alone.
        Order placed = orders.save(Order.place(BUYER, ticket, Instant.now(), WINDOW));
        Order byOwner = orders.findById(placed.id()).orElseThrow();
        Order byExpiry = orders.findById(placed.id()).orElseThrow();

        byOwner.cancel();
        orders.save(byOwner);
        assertThat(byExpiry.expire(placed.expiresAt())).isTrue();

        assertThatThrownBy(() -> orders.save(byExpiry)).isInstanceOf(OptimisticLockingFailureException.class);
        Order stored = orders.findById(placed.id()).orElseThrow();
        assertThat(stored.version()).isEqualTo(1);
        assertThat(stored.status()).isEqualTo(OrderStatus.CANCELLED);
    }

    @Test
    void aPaymentThatLosesTheRaceWithExpiryFailsAndItsRedeliveryLeavesTheOrderCancelled() {
        Order placed = orders.save(Order.place(BUYER, ticketInReplica(tickets, "Concert", "20"), Instant.now(), WINDOW));
        // Right after the handler reads the order, the expiry sweep cancels it: the handler's save is stale.
        AtomicReference<Runnable> expiryMeanwhile = new AtomicReference<>(() -> {
            Order due = orders.findById(placed.id()).orElseThrow();
            assertThat(due.expire(due.expiresAt())).isTrue();
            orders.save(due);
        });
        Orders racing = (Orders) Proxy.newProxyInstance(Orders.class.getClassLoader(), new Class<?>[] {Orders.class},
                (proxy, method, arguments) -> {
                    Object result;
                    try {
                        result = method.invoke(orders, arguments);
                    } catch (InvocationTargetException failed) {
                        throw failed.getCause();
                    }
                    Runnable hook = expiryMeanwhile.getAndSet(null);
                    if (hook != null) {
                        hook.run();
                    }
                    return result;
                });
        PaymentCreatedHandler handler = new PaymentCreatedHandler(racing);
        PaymentCreated payment = new PaymentCreated("65f1c0ffee000000000000aa", placed.id(), "ch_1");

        assertThat(handler.on(payment, delivery(1))).isEqualTo(Verdict.FAILED);
        assertThat(handler.on(payment, delivery(2))).as("the redelivery").isEqualTo(Verdict.REPEAT);

        Order stored = orders.findById(placed.id()).orElseThrow();
        assertThat(stored.status()).isEqualTo(OrderStatus.CANCELLED);
        assertThat(stored.version()).isEqualTo(1);
        assertThat(stored.outbox()).extracting(OutboxEntry::subject).containsExactly("order.created", "order.cancelled");
    }

    @Test
    void aWriteOntoAVersionThatMovedOnSinceItWasReadChangesNothingAndTheEventIsARepeat() {
        Ticket ticket = ticketInReplica(tickets, "Concert", "10");
        assertThat(verdicts(updates, List.of(update(ticket, 1, "Concert v1")))).containsExactly(Verdict.APPLIED);
        // Right after this replica reads v1, another one applies v2 and v3: the planned write {version: 1} -> v2 is stale.
        Runnable anotherReplicaMovesOn = () -> verdicts(updates, List.of(update(ticket, 2, "Concert v2"),
                update(ticket, 3, "Concert v3")));
        TicketUpdatedHandler racing = new TicketUpdatedHandler(new HookedTemplate(mongo, anotherReplicaMovesOn));

        // A title of its own, so that an overwrite would show.
        List<Verdict> outcomes = verdicts(racing, List.of(update(ticket, 2, "Concert v2, stale")));

        Ticket stored = tickets.findById(ticket.id()).orElseThrow();
        assertThat(stored.title()).isEqualTo("Concert v3");
        assertThat(stored.price()).isEqualByComparingTo("3");
        assertThat(stored.version()).isEqualTo(3);
        // The write missed; planned again from v3, the event is a repeat.
        assertThat(outcomes).containsExactly(Verdict.REPEAT);
    }

    @Test
    void racingBatchesOfTheSameUpdatesLeaveEveryTicketAtItsLastVersion() throws Exception {
        List<String> ids = IntStream.range(0, 10).mapToObj(n -> ticketInReplica(tickets, "Show " + n, "10").id()).toList();
        List<TicketUpdated> all = new ArrayList<>();
        for (int version = 1; version <= 30; version++) {
            for (String id : ids) {
                all.add(new TicketUpdated(id, version, id + " v" + version, BigDecimal.valueOf(version), BUYER, null));
            }
        }
        int racers = 6;
        List<Future<List<Verdict>>> results = new ArrayList<>();
        CountDownLatch start = new CountDownLatch(1);
        try (ExecutorService threads = Executors.newFixedThreadPool(racers)) {
            for (int racer = 0; racer < racers; racer++) {
                List<TicketUpdated> mine = new ArrayList<>(all);
                Collections.shuffle(mine, new Random(racer));
                results.add(threads.submit(() -> {
                    start.await();
                    List<Verdict> outcomes = new ArrayList<>();
                    // In batches of 40, as pulls would bring them; the early ones come round again, as the bus would.
                    List<TicketUpdated> pending = mine;
                    for (int pass = 0; !pending.isEmpty() && pass < 200; pass++) {
                        List<TicketUpdated> next = new ArrayList<>();
                        for (int from = 0; from < pending.size(); from += 40) {
                            List<TicketUpdated> batch = pending.subList(from, Math.min(from + 40, pending.size()));
                            List<Verdict> outcome = verdicts(updates, batch);
                            for (int i = 0; i < outcome.size(); i++) {
                                outcomes.add(outcome.get(i));
                                if (outcome.get(i) == Verdict.NOT_YET) {
                                    next.add(batch.get(i));
                                }
                            }
                        }
                        pending = next;
                    }
                    assertThat(pending).as("updates still early after 200 passes").isEmpty();
                    return outcomes;
                }));
            }
            start.countDown();
            for (Future<List<Verdict>> result : results) {
                assertThat(result.get(60, TimeUnit.SECONDS)).contains(Verdict.APPLIED, Verdict.REPEAT);
            }
        }
        for (String id : ids) {
            Ticket stored = tickets.findById(id).orElseThrow();
            assertThat(stored.version()).isEqualTo(30);
            assertThat(stored.title()).isEqualTo(id + " v30");
            assertThat(stored.price()).isEqualByComparingTo("30");
        }
    }

    private static EventMetadata delivery(long count) {
        return new EventMetadata(UUID.nameUUIDFromBytes(new byte[] {1}), EventType.PAYMENT_CREATED, EventType.SCHEMA_VERSION,
                Instant.now(), count, 1);
    }

    /** Hands the updates to the handler as one batch; returns its verdict on each. */
    static List<Verdict> verdicts(TicketUpdatedHandler handler, List<TicketUpdated> batch) {
        List<Delivery<TicketUpdated>> deliveries = batch.stream().map(Delivery::of).toList();
        handler.on(deliveries);
        return deliveries.stream().map(Delivery::verdict).toList();
    }

    private static TicketUpdated update(Ticket ticket, long version, String title) {
        return new TicketUpdated(ticket.id(), version, title, BigDecimal.valueOf(version), BUYER, null);
    }

    /**
     * The application's template, but the first collection call (the replica's read of the versions it holds) is
     * followed by {@code afterFirstCall}: another writer acting between the read and the write.
     */
    private static final class HookedTemplate extends MongoTemplate {

        private final AtomicReference<Runnable> afterFirstCall;

        HookedTemplate(MongoTemplate template, Runnable afterFirstCall) {
            super(template.getMongoDatabaseFactory(), template.getConverter());
            this.afterFirstCall = new AtomicReference<>(afterFirstCall);
        }

        @Override
        public <T> T execute(Class<?> entityClass, CollectionCallback<T> callback) {
            T result = super.execute(entityClass, callback);
            Runnable hook = afterFirstCall.getAndSet(null);
            if (hook != null) {
                hook.run();
            }
            return result;
        }
    }
}
