package dev.ticketing.orders;

import static dev.ticketing.orders.OrdersClient.orderJson;
import static dev.ticketing.orders.OrdersClient.ticketInReplica;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.ticketing.events.OrderStatus;
import dev.ticketing.events.TicketUpdated;
import dev.ticketing.events.bus.Verdict;
import dev.ticketing.testsupport.service.ServiceInstance;
import dev.ticketing.testsupport.service.ServiceTest;
import dev.ticketing.testsupport.service.Session;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.bson.types.ObjectId;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.test.web.servlet.client.EntityExchangeResult;
import org.springframework.test.web.servlet.client.RestTestClient;

/**
 * The course's new, index, show and delete suites against the real database, and a race for one ticket. What the
 * routes refuse before any write (sessions, validation, the order of errors) is in {@link OrderRoutesWebTests}.
 */
@ServiceTest
class OrderRoutesIntegrationTests {

    private static final ParameterizedTypeReference<List<OrderView>> ORDER_LIST = new ParameterizedTypeReference<>() { };

    @Autowired
    RestTestClient http;
    @Autowired
    Orders orders;
    @Autowired
    Tickets tickets;
    @Autowired
    TicketUpdatedHandler updates;

    private ServiceInstance service;
    private OrdersClient client;
    private Session buyer;

    @BeforeEach
    void signIn(ServiceInstance service) {
        this.service = service;
        client = new OrdersClient(http);
        buyer = service.signIn();
    }

    // --- new -----------------------------------------------------------------------------------------------

    @Test
    void returnsNotFoundForATicketThatDoesNotExist() {
        client.place(buyer.cookie(), orderJson(new ObjectId().toHexString()))
                .expectStatus().isNotFound()
                .expectBody().jsonPath("$.errors[0].message").isEqualTo("Not Found");
        assertThat(ordersOf(buyer)).isEmpty();
    }

    @Test
    void rejectsATicketThatIsAlreadyReserved() {
        Ticket ticket = ticketInReplica(tickets, "Concert", "20");
        client.placed(service.signIn().cookie(), ticket.id());

        client.place(buyer.cookie(), orderJson(ticket.id()))
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].message").isEqualTo("Ticket is already reserved");
        assertThat(ordersOf(buyer)).isEmpty();
    }

    @Test
    void reservesATicket() {
        Ticket ticket = ticketInReplica(tickets, "Concert", "20.50");
        Instant before = Instant.now();

        client.place(buyer.cookie(), orderJson(ticket.id()))
                .expectStatus().isCreated()
                .expectBody()
                .jsonPath("$.id").isNotEmpty()
                .jsonPath("$.userId").isEqualTo(buyer.userId())
                .jsonPath("$.status").isEqualTo("created")
                .jsonPath("$.version").isEqualTo(0)
                .jsonPath("$.expiresAt").value(String.class, expiresAt ->
                        assertThat(Instant.parse(expiresAt)).isCloseTo(before.plus(Duration.ofMinutes(15)), within(10, ChronoUnit.SECONDS)))
                .jsonPath("$.ticket.id").isEqualTo(ticket.id())
                .jsonPath("$.ticket.title").isEqualTo("Concert")
                .jsonPath("$.ticket.price").isEqualTo(20.5)
                .jsonPath("$.ticket.version").isEqualTo(0)
                .jsonPath("$.ticket.userId").doesNotExist()
                .jsonPath("$._id").doesNotExist()
                .jsonPath("$.activeTicketId").doesNotExist()
                .jsonPath("$.outbox").doesNotExist();

        Order stored = ordersOf(buyer).getFirst();
        assertThat(stored.status()).isEqualTo(OrderStatus.CREATED);
        assertThat(stored.activeTicketId()).isEqualTo(ticket.id());
    }

    @Test
    void reservesATicketAgainOnceItsOrderIsCancelled() {
        Ticket ticket = ticketInReplica(tickets, "Concert", "20");
        OrderView first = client.placed(buyer.cookie(), ticket.id());
        client.cancel(buyer.cookie(), first.id()).expectStatus().isNoContent();

        Session secondBuyer = service.signIn();
        OrderView second = client.placed(secondBuyer.cookie(), ticket.id());
        client.cancel(secondBuyer.cookie(), second.id()).expectStatus().isNoContent();
        OrderView third = client.placed(service.signIn().cookie(), ticket.id());

        assertThat(List.of(first.id(), second.id(), third.id())).doesNotHaveDuplicates();
    }

    @Test
    void exactlyOneOfTwentyConcurrentOrdersForOneTicketWins() throws Exception {
        Ticket ticket = ticketInReplica(tickets, "Last seat", "99");
        List<Session> buyers = new ArrayList<>();
        for (int n = 0; n < 20; n++) {
            buyers.add(service.signIn());
        }
        CountDownLatch go = new CountDownLatch(1);
        List<Callable<EntityExchangeResult<String>>> attempts = buyers.stream()
                .<Callable<EntityExchangeResult<String>>>map(user -> () -> {
                    go.await();
                    return client.place(user.cookie(), orderJson(ticket.id())).expectBody(String.class).returnResult();
                })
                .toList();

        List<Integer> statuses = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(20)) {
            List<Future<EntityExchangeResult<String>>> responses = attempts.stream().map(pool::submit).toList();
            go.countDown();
            for (Future<EntityExchangeResult<String>> response : responses) {
                EntityExchangeResult<String> result = response.get();
                statuses.add(result.getStatus().value());
                if (result.getStatus().value() == 400) {
                    assertThat(result.getResponseBody()).contains("Ticket is already reserved");
                }
            }
        }

        assertThat(statuses).filteredOn(status -> status == 201).hasSize(1);
        assertThat(statuses).filteredOn(status -> status == 400).hasSize(19);
        assertThat(orders.findAll()).filteredOn(order -> order.ticketId().equals(ticket.id())).hasSize(1);
    }

    // --- index ---------------------------------------------------------------------------------------------

    @Test
    void listsOnlyTheCallersOrdersOldestFirstWithTheirTickets() {
        Ticket one = ticketInReplica(tickets, "One", "10");
        Ticket two = ticketInReplica(tickets, "Two", "20");
        Ticket three = ticketInReplica(tickets, "Three", "30");
        Session other = service.signIn();
        client.placed(other.cookie(), one.id());
        OrderView first = client.placed(buyer.cookie(), two.id());
        OrderView second = client.placed(buyer.cookie(), three.id());

        List<OrderView> listed = client.list(buyer.cookie()).expectStatus().isOk()
                .expectBody(ORDER_LIST).returnResult().getResponseBody();

        assertThat(listed).extracting(OrderView::id).containsExactly(first.id(), second.id());
        assertThat(listed).extracting(order -> order.ticket().title()).containsExactly("Two", "Three");
        assertThat(listed).extracting(order -> order.ticket().price())
                .usingElementComparator(BigDecimal::compareTo).containsExactly(new BigDecimal("20"), new BigDecimal("30"));
        client.list(other.cookie()).expectBody().jsonPath("$.length()").isEqualTo(1);
    }

    @Test
    void embedsTheTicketAsTheReplicaHoldsItNow() {
        Ticket ticket = ticketInReplica(tickets, "Concert", "10");
        OrderView order = client.placed(buyer.cookie(), ticket.id());
        assertThat(OrderStorageIntegrationTests.verdicts(updates, List.of(new TicketUpdated(ticket.id(), 1,
                "Concert (moved)", new BigDecimal("12"), "65f1c0ffee0000000000000b", null)))).containsExactly(Verdict.APPLIED);

        client.show(buyer.cookie(), order.id()).expectBody()
                .jsonPath("$.ticket.title").isEqualTo("Concert (moved)")
                .jsonPath("$.ticket.price").isEqualTo(12)
                .jsonPath("$.ticket.version").isEqualTo(1);
    }

    @Test
    void pagesThroughALongListWithTheLinkHeader() {
        List<String> placed = new ArrayList<>();
        for (int n = 0; n < 5; n++) {
            placed.add(client.placed(buyer.cookie(), ticketInReplica(tickets, "Show " + n, "10").id()).id());
        }

        assertThat(pagedThrough(buyer, 2)).containsExactlyElementsOf(placed);
        http.get().uri("/api/orders?limit=0").header(HttpHeaders.COOKIE, buyer.cookie()).exchange()
                .expectStatus().isBadRequest();
        http.get().uri("/api/orders?limit=501").header(HttpHeaders.COOKIE, buyer.cookie()).exchange()
                .expectStatus().isBadRequest();
    }

    @Test
    void listsOrdersInTheOrderTheyWerePlacedWhateverTheirIds() {
        // Ids made in one second by two replicas order by process bytes and counter: here against creation.
        Instant second = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String first = storedOrder(buyer, idAt(second, 40), second);
        String second45ms = storedOrder(buyer, idAt(second, 30), second.plusMillis(45));
        String sameMillisecond = storedOrder(buyer, idAt(second, 31), second.plusMillis(45));
        String last = storedOrder(buyer, idAt(second, 10), second.plusMillis(90));
        List<String> oldestFirst = List.of(first, second45ms, sameMillisecond, last);

        assertThat(client.list(buyer.cookie()).expectStatus().isOk().expectBody(ORDER_LIST).returnResult()
                .getResponseBody()).extracting(OrderView::id).containsExactlyElementsOf(oldestFirst);
        // The page boundary falls between two orders placed in the same millisecond: the id decides between them.
        assertThat(pagedThrough(buyer, 2)).containsExactlyElementsOf(oldestFirst);
        assertThat(pagedThrough(buyer, 1)).containsExactlyElementsOf(oldestFirst);
    }

    @Test
    void listsOrdersStoredBeforeCreationTimesWereRecordedFirstInIdOrder() {
        Instant anHourAgo = Instant.now().minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS);
        String undated = storedOrder(buyer, idAt(anHourAgo, 50), null);
        String laterUndated = storedOrder(buyer, idAt(anHourAgo, 60), null);
        Instant now = Instant.now();
        String dated = storedOrder(buyer, idAt(now, 1), now);

        assertThat(pagedThrough(buyer, 1)).containsExactly(undated, laterUndated, dated);
        assertThat(pagedThrough(buyer, 2)).containsExactly(undated, laterUndated, dated);
    }

    @Test
    void refusesToPageAfterAnOrderThatIsNotOneOfTheCallers() {
        String othersOrder = client.placed(service.signIn().cookie(), ticketInReplica(tickets, "Concert", "20").id()).id();
        client.placed(buyer.cookie(), ticketInReplica(tickets, "Opera", "20").id());

        for (String after : List.of(othersOrder, new ObjectId().toHexString(), "abc")) {
            http.get().uri("/api/orders?after={after}", after).header(HttpHeaders.COOKIE, buyer.cookie()).exchange()
                    .expectStatus().isBadRequest()
                    .expectBody().jsonPath("$.errors[0].message").isEqualTo("after must be the id of one of your orders");
        }
    }

    // --- show ----------------------------------------------------------------------------------------------

    @Test
    void showsAnOrderToItsOwner() {
        Ticket ticket = ticketInReplica(tickets, "Concert", "20");
        OrderView order = client.placed(buyer.cookie(), ticket.id());

        OrderView shown = client.show(buyer.cookie(), order.id()).expectStatus().isOk()
                .expectBody(OrderView.class).returnResult().getResponseBody();

        assertThat(shown).isEqualTo(order);
    }

    @Test
    void refusesToShowAnotherUsersOrder() {
        OrderView order = client.placed(buyer.cookie(), ticketInReplica(tickets, "Concert", "20").id());

        client.show(service.signIn().cookie(), order.id())
                .expectStatus().isUnauthorized()
                .expectBody().jsonPath("$.errors[0].message").isEqualTo("Not authorized");
    }

    @Test
    void returnsNotFoundForUnknownOrMalformedOrderIds() {
        for (String id : List.of(new ObjectId().toHexString(), "abc", "000", "zzzzzzzzzzzzzzzzzzzzzzzz", "$ne", "null",
                new ObjectId().toHexString() + "0")) {
            client.show(buyer.cookie(), id).expectStatus().isNotFound()
                    .expectBody().jsonPath("$.errors[0].message").isEqualTo("Not Found");
            client.cancel(buyer.cookie(), id).expectStatus().isNotFound();
        }
        // An encoded '%' in the path is refused by Spring Security's firewall before any route is chosen.
        client.show(buyer.cookie(), "%24ne").expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].message").isNotEmpty();
    }

    // --- delete --------------------------------------------------------------------------------------------

    @Test
    void cancelsAnOrder() {
        Ticket ticket = ticketInReplica(tickets, "Concert", "20");
        OrderView order = client.placed(buyer.cookie(), ticket.id());

        client.cancel(buyer.cookie(), order.id()).expectStatus().isNoContent().expectBody().isEmpty();

        client.show(buyer.cookie(), order.id()).expectBody()
                .jsonPath("$.status").isEqualTo("cancelled")
                .jsonPath("$.version").isEqualTo(1);
        assertThat(orders.findById(order.id()).orElseThrow().activeTicketId()).isNull();
    }

    @Test
    void cancellingACancelledOrderChangesNothing() {
        OrderView order = client.placed(buyer.cookie(), ticketInReplica(tickets, "Concert", "20").id());
        client.cancel(buyer.cookie(), order.id()).expectStatus().isNoContent();

        client.cancel(buyer.cookie(), order.id()).expectStatus().isNoContent();

        assertThat(orders.findById(order.id()).orElseThrow().version()).isEqualTo(1);
    }

    @Test
    void refusesToCancelAnotherUsersOrder() {
        OrderView order = client.placed(buyer.cookie(), ticketInReplica(tickets, "Concert", "20").id());

        client.cancel(service.signIn().cookie(), order.id()).expectStatus().isUnauthorized();

        assertThat(orders.findById(order.id()).orElseThrow().status()).isEqualTo(OrderStatus.CREATED);
    }

    /** Every order of the user's list, following the Link header from a first page of {@code limit}. */
    private List<String> pagedThrough(Session user, int limit) {
        List<String> seen = new ArrayList<>();
        String uri = "/api/orders?limit=" + limit;
        while (uri != null) {
            var result = http.get().uri(uri).header(HttpHeaders.COOKIE, user.cookie()).exchange()
                    .expectStatus().isOk().expectBody(ORDER_LIST).returnResult();
            result.getResponseBody().forEach(order -> seen.add(order.id()));
            String link = result.getResponseHeaders().getFirst(HttpHeaders.LINK);
            uri = link == null ? null : link.substring(1, link.indexOf('>'));
        }
        return seen;
    }

    /** An id made at {@code time} by this process with the given counter: within one second, the counter orders them. */
    private static String idAt(Instant time, int counter) {
        return new ObjectId(Date.from(time), counter).toHexString();
    }

    /** An order of the user's, stored as the service stores one; no {@code createdAt} as before it was recorded. */
    private String storedOrder(Session user, String id, @Nullable Instant createdAt) {
        Ticket ticket = ticketInReplica(tickets, "Show " + id, "10");
        return orders.save(new Order(id, null, user.userId(), OrderStatus.CREATED, Instant.now().plus(Duration.ofMinutes(15)),
                createdAt, ticket.id(), ticket.id(), null)).id();
    }

    private List<Order> ordersOf(Session user) {
        return orders.findAll().stream().filter(order -> order.userId().equals(user.userId())).toList();
    }
}
