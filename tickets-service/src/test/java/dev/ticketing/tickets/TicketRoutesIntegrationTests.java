package dev.ticketing.tickets;

import static dev.ticketing.tickets.TicketsClient.ticketJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.index.IndexField;
import org.springframework.data.mongodb.core.index.IndexInfo;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.test.web.servlet.client.EntityExchangeResult;
import org.springframework.test.web.servlet.client.RestTestClient;

/**
 * The course's new, show, index and update suites against the real database. What the routes refuse before any
 * read or write (sessions, validation, the order of errors) is in {@link TicketRoutesWebTests}.
 */
@ServiceTest
class TicketRoutesIntegrationTests {

    private static final Instant A_DAY_AGO = Instant.now().minus(Duration.ofDays(1)).truncatedTo(ChronoUnit.SECONDS);
    private static final AtomicInteger secondsUsed = new AtomicInteger();

    @Autowired
    RestTestClient http;
    @Autowired
    Tickets tickets;
    @Autowired
    MongoTemplate mongo;

    private ServiceInstance service;
    private TicketsClient client;
    private Session seller;

    @BeforeEach
    void signIn(ServiceInstance service) {
        this.service = service;
        client = new TicketsClient(http);
        seller = service.signIn();
    }

    // --- new -----------------------------------------------------------------------------------------------

    @Test
    void createsTicketAtVersionZero() {
        TicketView created = client.created(seller.cookie(), "Concert", "20.5");

        assertThat(created.title()).isEqualTo("Concert");
        assertThat(created.price()).isEqualByComparingTo("20.5");
        assertThat(created.userId()).isEqualTo(seller.userId());
        assertThat(created.version()).isZero();
        assertThat(created.orderId()).isNull();
        assertThat(ObjectId.isValid(created.id())).isTrue();
        assertThat(storedFor(seller)).extracting(Ticket::id).containsExactly(created.id());
    }

    @Test
    void acceptsPriceAsNumericString() {
        TicketView created = client.created(seller.cookie(), "Concert", "\"12.50\"");

        assertThat(created.price()).isEqualByComparingTo("12.5");
    }

    @Test
    void showsTicketJsonWithoutInternals() {
        TicketView created = client.created(seller.cookie(), "Concert", "10");

        client.show(created.id()).expectStatus().isOk()
                .expectBody()
                .jsonPath("$.id").isEqualTo(created.id())
                .jsonPath("$.title").isEqualTo("Concert")
                .jsonPath("$.price").isEqualTo(10)
                .jsonPath("$.userId").isEqualTo(seller.userId())
                .jsonPath("$.version").isEqualTo(0)
                .jsonPath("$.orderId").doesNotExist()
                .jsonPath("$.outbox").doesNotExist()
                .jsonPath("$._id").doesNotExist();
    }

    // --- show ----------------------------------------------------------------------------------------------

    @Test
    void showAnswers404ForUnknownOrMalformedId() {
        client.show(new ObjectId().toHexString()).expectStatus().isNotFound()
                .expectBody().jsonPath("$.errors[0].message").isEqualTo("Not Found");
        client.show("not-an-id").expectStatus().isNotFound()
                .expectBody().jsonPath("$.errors[0].message").isEqualTo("Not Found");
    }

    @Test
    void showIsOpenToAnonymousCallers() {
        TicketView created = client.created(seller.cookie(), "Concert", "10");

        client.show(created.id()).expectStatus().isOk();
    }

    // --- index ---------------------------------------------------------------------------------------------

    @Test
    void listsAvailableTicketsOldestFirstAndHidesReservedOnes() {
        TicketView first = client.created(seller.cookie(), "First", "10");
        TicketView second = client.created(seller.cookie(), "Second", "10");
        TicketView reserved = client.created(seller.cookie(), "Reserved", "10");
        reserve(reserved.id());

        List<TicketView> listed = listAll();

        List<String> ids = listed.stream().map(TicketView::id).toList();
        assertThat(ids).contains(first.id(), second.id()).doesNotContain(reserved.id());
        assertThat(ids.indexOf(first.id())).isLessThan(ids.indexOf(second.id()));
    }

    @Test
    void pagesTheListWithALinkToTheNextPage() {
        for (int n = 0; n < 3; n++) {
            client.created(seller.cookie(), "Paged " + n, "10");
        }

        var firstPage = http.get().uri("/api/tickets?limit=2").exchange().expectStatus().isOk()
                .expectBody(new ParameterizedTypeReference<List<TicketView>>() { }).returnResult();

        assertThat(firstPage.getResponseBody()).hasSize(2);
        String link = firstPage.getResponseHeaders().getFirst(HttpHeaders.LINK);
        assertThat(link).isEqualTo("</api/tickets?after=" + firstPage.getResponseBody().getLast().id() + "&limit=2>; rel=\"next\"");
        List<TicketView> next = http.get().uri(link.substring(1, link.indexOf('>'))).exchange().expectStatus().isOk()
                .expectBody(new ParameterizedTypeReference<List<TicketView>>() { }).returnResult().getResponseBody();
        assertThat(next).isNotEmpty().noneMatch(ticket -> firstPage.getResponseBody().contains(ticket));
    }

    @Test
    void listsTicketsInCreationOrderWhenTheirIdsSortOtherwise() {
        List<Ticket> sameSecond = listedByReplicasInOneSecond();

        List<String> listed = listAll().stream().map(TicketView::id).filter(ids(sameSecond)::contains).toList();

        assertThat(listed).containsExactlyElementsOf(ids(sameSecond));
    }

    @Test
    void pagesInCreationOrderAcrossTicketsOfOneSecond() {
        List<Ticket> sameSecond = listedByReplicasInOneSecond();

        var page = page("/api/tickets?after=" + sameSecond.get(0).id() + "&limit=1");
        assertThat(page.getResponseBody()).extracting(TicketView::id).containsExactly(sameSecond.get(1).id());
        for (int n = 2; n < sameSecond.size(); n++) {
            String link = page.getResponseHeaders().getFirst(HttpHeaders.LINK);
            assertThat(link).isEqualTo("</api/tickets?after=" + sameSecond.get(n - 1).id() + "&limit=1>; rel=\"next\"");
            page = page(link.substring(1, link.indexOf('>')));
            assertThat(page.getResponseBody()).extracting(TicketView::id).containsExactly(sameSecond.get(n).id());
        }
    }

    @Test
    void pagesOnFromATicketReservedSinceItEndedAPage() {
        List<Ticket> sameSecond = listedByReplicasInOneSecond();
        reserve(sameSecond.get(1).id());

        assertThat(page("/api/tickets?after=" + sameSecond.get(1).id() + "&limit=1").getResponseBody())
                .extracting(TicketView::id).containsExactly(sameSecond.get(2).id());
        assertThat(page("/api/tickets?after=" + sameSecond.get(0).id() + "&limit=1").getResponseBody())
                .extracting(TicketView::id).containsExactly(sameSecond.get(2).id());
    }

    @Test
    void listsTicketsStoredWithoutCreationTimeFirstAndPagesOnThroughThem() {
        Instant longAgo = Instant.parse("2020-01-01T00:00:00Z");
        Ticket older = storeListed(new ObjectId(Date.from(longAgo), 1), null);
        Ticket newer = storeListed(new ObjectId(Date.from(longAgo.plusSeconds(1)), 1), null);
        assertThat(mongo.getCollection("tickets").find(new Document("_id", new ObjectId(older.id()))).first())
                .as("stored as before creation times were recorded").doesNotContainKey("createdAt");
        TicketView dated = client.created(seller.cookie(), "Dated", "10");

        List<String> all = listAll().stream().map(TicketView::id).toList();
        assertThat(all.indexOf(older.id())).isLessThan(all.indexOf(newer.id()));
        assertThat(all.indexOf(newer.id())).isLessThan(all.indexOf(dated.id()));
        int olderAt = all.indexOf(older.id());
        assertThat(page("/api/tickets?after=" + older.id() + "&limit=2").getResponseBody())
                .extracting(TicketView::id).containsExactlyElementsOf(all.subList(olderAt + 1, olderAt + 3));
    }

    /**
     * The list's query, {@code orderId: null} sorted by {@code (createdAt, _id)}, needs an index with those keys in
     * that order, and not a sparse one: a sparse index leaves out the documents without {@code orderId}, exactly the
     * ones the query wants, so MongoDB cannot use it for them.
     */
    @Test
    void availableTicketsHaveANonSparseIndexInListingOrder() {
        List<IndexInfo> indexes = mongo.indexOps(Ticket.class).getIndexInfo();

        assertThat(indexes).as("indexes of tickets: %s", indexes).filteredOn(index -> index.getIndexFields().stream().map(IndexField::getKey).toList()
                        .equals(List.of("orderId", "createdAt", "_id")))
                .singleElement()
                .satisfies(index -> assertThat(index.isSparse()).as("sparse").isFalse())
                .satisfies(index -> assertThat(index.getIndexFields()).extracting(IndexField::getDirection)
                        .containsOnly(Sort.Direction.ASC));
    }

    @Test
    void rejectsPagingAfterAnUnknownTicket() {
        http.get().uri("/api/tickets?after=" + new ObjectId().toHexString()).exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].message").isEqualTo("after must be the id of an existing ticket");
    }

    // --- update --------------------------------------------------------------------------------------------

    @Test
    void updateAnswers404ForUnknownTicket() {
        client.update(seller.cookie(), new ObjectId().toHexString(), ticketJson("New", "20"))
                .expectStatus().isNotFound();
        client.update(seller.cookie(), "12345", ticketJson("New", "20")).expectStatus().isNotFound();
    }

    @Test
    void updateByAnotherUserIsNotAuthorizedAndChangesNothing() {
        TicketView ticket = client.created(seller.cookie(), "Concert", "10");

        client.update(service.signIn().cookie(), ticket.id(), ticketJson("Stolen", "1"))
                .expectStatus().isUnauthorized()
                .expectBody().jsonPath("$.errors[0].message").isEqualTo("Not authorized");
        client.show(ticket.id()).expectBody().jsonPath("$.title").isEqualTo("Concert").jsonPath("$.version").isEqualTo(0);
    }

    @Test
    void updateRejectsInvalidTitleOrPrice() {
        TicketView ticket = client.created(seller.cookie(), "Concert", "10");

        client.update(seller.cookie(), ticket.id(), ticketJson("", "20")).expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].message").isEqualTo("Title is required");
        client.update(seller.cookie(), ticket.id(), ticketJson("New", "-20")).expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].message").isEqualTo("Price must be provided and must be greater than 0");
        client.show(ticket.id()).expectBody().jsonPath("$.version").isEqualTo(0);
    }

    @Test
    void updatesTicketAndBumpsVersionEachTime() {
        TicketView ticket = client.created(seller.cookie(), "Concert", "10");

        TicketView first = client.update(seller.cookie(), ticket.id(), ticketJson("Opera", "100")).expectStatus().isOk()
                .expectBody(TicketView.class).returnResult().getResponseBody();
        TicketView second = client.update(seller.cookie(), ticket.id(), ticketJson("Ballet", "\"99.99\""))
                .expectStatus().isOk().expectBody(TicketView.class).returnResult().getResponseBody();

        assertThat(List.of(ticket.version(), first.version(), second.version())).containsExactly(0L, 1L, 2L);
        client.show(ticket.id()).expectBody()
                .jsonPath("$.title").isEqualTo("Ballet")
                .jsonPath("$.price").isEqualTo(99.99)
                .jsonPath("$.version").isEqualTo(2);
    }

    @Test
    void rejectsEditOfReservedTicketEvenForOtherUsers() {
        TicketView ticket = client.created(seller.cookie(), "Concert", "10");
        reserve(ticket.id());

        client.update(seller.cookie(), ticket.id(), ticketJson("New", "20")).expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].message").isEqualTo("Cannot edit a reserved ticket");
        // The reserved check comes before the owner check.
        client.update(service.signIn().cookie(), ticket.id(), ticketJson("New", "20")).expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].message").isEqualTo("Cannot edit a reserved ticket");
    }

    // --- optimistic concurrency ----------------------------------------------------------------------------

    @Test
    void secondSaveOfAStaleCopyFails() {
        TicketView created = client.created(seller.cookie(), "Concert", "10");
        Ticket first = tickets.findById(created.id()).orElseThrow();
        Ticket second = tickets.findById(created.id()).orElseThrow();

        first.edit("Opera", BigDecimal.TEN, seller.userId());
        tickets.save(first);
        second.edit("Ballet", BigDecimal.ONE, seller.userId());

        assertThatThrownBy(() -> tickets.save(second)).isInstanceOf(OptimisticLockingFailureException.class);
        assertThat(tickets.findById(created.id()).orElseThrow().title()).isEqualTo("Opera");
    }

    @Test
    void concurrentEditsNeverBothWinSilently() throws Exception {
        TicketView created = client.created(seller.cookie(), "Concert", "10");
        List<Callable<Integer>> edits = new ArrayList<>();
        for (int n = 0; n < 10; n++) {
            String json = ticketJson("Edit " + n, "1" + n);
            edits.add(() -> client.update(seller.cookie(), created.id(), json).returnResult().getStatus().value());
        }

        List<Integer> statuses = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(10)) {
            for (Future<Integer> status : pool.invokeAll(edits)) {
                statuses.add(status.get());
            }
        }

        assertThat(statuses).allMatch(status -> status == 200 || status == HttpStatus.CONFLICT.value());
        long wins = statuses.stream().filter(status -> status == 200).count();
        assertThat(wins).isPositive();
        assertThat(tickets.findById(created.id()).orElseThrow().version()).isEqualTo(wins);
    }

    // --- hostile input -------------------------------------------------------------------------------------

    @Test
    void acceptsLargestAndSmallestPrices() {
        assertThat(client.created(seller.cookie(), "Max", "1000000").price()).isEqualByComparingTo("1000000");
        assertThat(client.created(seller.cookie(), "Min", "0.01").price()).isEqualByComparingTo("0.01");
    }

    private List<Ticket> storedFor(Session user) {
        return tickets.findAll().stream().filter(ticket -> ticket.userId().equals(user.userId())).toList();
    }

    /**
     * Replicas list tickets within one second, those with higher process bytes in their ids first, so the ids sort
     * against creation order; the last two share a millisecond, where the ids decide. In creation order. A second
     * of this call's own, a day ago, so that no other ticket falls between them.
     */
    private List<Ticket> listedByReplicasInOneSecond() {
        Instant second = A_DAY_AGO.plusSeconds(secondsUsed.getAndIncrement());
        return List.of(
                storeListed(mintedBy(0xff_ffff_ffffL, second), second.plusMillis(100)),
                storeListed(mintedBy(0xc0_0000_0000L, second), second.plusMillis(500)),
                storeListed(mintedBy(0x80_0000_0000L, second), second.plusMillis(900)),
                storeListed(mintedBy(0x80_0000_0001L, second), second.plusMillis(900)));
    }

    /** An id as a process with these five random bytes mints it in this second: timestamp, process, counter. */
    private static ObjectId mintedBy(long process, Instant second) {
        return new ObjectId("%08x%010x%06x".formatted(second.getEpochSecond(), process, 1));
    }

    private Ticket storeListed(ObjectId id, @Nullable Instant createdAt) {
        return tickets.save(new Ticket(id.toHexString(), null, "Listed", BigDecimal.TEN, seller.userId(), null, null,
                null, createdAt));
    }

    private static List<String> ids(List<Ticket> listed) {
        return listed.stream().map(Ticket::id).toList();
    }

    private EntityExchangeResult<List<TicketView>> page(String uri) {
        return http.get().uri(uri).exchange().expectStatus().isOk()
                .expectBody(new ParameterizedTypeReference<List<TicketView>>() { }).returnResult();
    }

    private void reserve(String ticketId) {
        Ticket ticket = tickets.findById(ticketId).orElseThrow();
        ticket.reserveFor(new ObjectId().toHexString());
        tickets.save(ticket);
    }

    private List<TicketView> listAll() {
        List<TicketView> all = new ArrayList<>();
        String after = null;
        while (true) {
            String uri = "/api/tickets?limit=500" + (after == null ? "" : "&after=" + after);
            List<TicketView> page = http.get().uri(uri).exchange().expectStatus().isOk()
                    .expectBody(new ParameterizedTypeReference<List<TicketView>>() { }).returnResult().getResponseBody();
            all.addAll(page);
            if (page.size() < 500) {
                return all;
            }
            after = page.getLast().id();
        }
    }
}
