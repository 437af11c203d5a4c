package dev.ticketing.events.bus;

import static dev.ticketing.events.bus.BusFixture.READY;
import static dev.ticketing.events.bus.BusFixture.ready;
import static dev.ticketing.events.bus.BusFixture.ticket;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ticketing.events.TicketCreated;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Status;

/** Faults: the NATS server restarts, a replica stops while events flow, NATS is away at start-up. */
class NatsOutageIntegrationTests {

    private final BusFixture fixture = new BusFixture();

    @AfterEach
    void stopEverything() {
        fixture.close();
    }

    @Test
    void losesNoEventWhenNatsRestartsMidStream() {
        NatsEventBus publisher = ready(fixture.bus("tickets-service"));
        NatsEventBus listener = fixture.bus("orders-service");
        Set<String> received = ConcurrentHashMap.newKeySet();
        listener.subscribe(TicketCreated.class, (event, meta) -> {
            received.add(event.id());
            return Verdict.APPLIED;
        });
        ready(listener);
        NatsHealthIndicator health = new NatsHealthIndicator(listener);
        List<Status> readiness = new ArrayList<>();
        readiness.add(health.health(true).getStatus());

        IntStream.range(0, 50).forEach(n -> publisher.publish(ticket(n)));
        fixture.server.stop();
        await().atMost(READY).until(() -> !listener.status().ready() && !publisher.status().ready());
        readiness.add(health.health(true).getStatus());
        fixture.server.start();
        await().atMost(READY).until(() -> listener.status().ready() && publisher.status().ready());
        readiness.add(health.health(true).getStatus());
        IntStream.range(50, 100).forEach(n -> publisher.publish(ticket(n)));

        await().atMost(Duration.ofSeconds(30)).until(() -> received.size() == 100);
        assertThat(readiness).containsExactly(Status.UP, Status.DOWN, Status.UP);
    }

    @Test
    void startsWhileNatsIsDownAndAttachesWhenItArrives() {
        fixture.server.stop();
        NatsEventBus listener = fixture.bus("orders-service");
        Set<String> received = ConcurrentHashMap.newKeySet();
        listener.subscribe(TicketCreated.class, (event, meta) -> {
            received.add(event.id());
            return Verdict.APPLIED;
        });

        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> !listener.status().ready());
        fixture.server.start();
        NatsEventBus publisher = ready(fixture.bus("tickets-service"));
        ready(listener);
        publisher.publish(ticket(1));

        await().atMost(READY).until(() -> received.contains("ticket-0001"));
    }

    @Test
    void stoppingAReplicaMidStreamLeavesNothingUnprocessed() throws Exception {
        AtomicInteger handledByStopping = new AtomicInteger();
        Set<String> handled = ConcurrentHashMap.newKeySet();
        CountDownLatch started = new CountDownLatch(20);
        NatsEventBus stopping = fixture.bus("orders-service");
        stopping.subscribe(TicketCreated.class, (event, meta) -> {
            Thread.sleep(20); // simulated handler work: 300 events take 6 s, so the stop lands mid-stream
            handled.add(event.id());
            handledByStopping.incrementAndGet();
            started.countDown();
            return Verdict.APPLIED;
        });
        NatsEventBus publisher = ready(fixture.bus("tickets-service"));
        ready(stopping);
        IntStream.range(0, 300).forEach(n -> publisher.publish(ticket(n)));
        assertThat(started.await(15, TimeUnit.SECONDS)).isTrue();

        stopping.close(); // graceful: the handler in flight finishes and acks, the rest go back
        int doneBeforeStop = handledByStopping.get();
        assertThat(doneBeforeStop).isLessThan(300);

        NatsEventBus successor = fixture.bus("orders-service");
        Set<String> handledBySuccessor = ConcurrentHashMap.newKeySet();
        successor.subscribe(TicketCreated.class, (event, meta) -> {
            handled.add(event.id());
            handledBySuccessor.add(event.id());
            return Verdict.APPLIED;
        });

        await().atMost(Duration.ofSeconds(30)).until(() -> handled.size() == 300);
        assertThat(handledByStopping.get()).isEqualTo(doneBeforeStop); // nothing handled after close returned
        assertThat(handledBySuccessor).isNotEmpty();
    }
}
