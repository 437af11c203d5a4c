package dev.ticketing.tickets;

import static dev.ticketing.tickets.TicketsClient.ticketJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.LIST;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

import dev.ticketing.testsupport.service.ServiceInstance;
import dev.ticketing.testsupport.service.Session;
import dev.ticketing.testsupport.service.WebSliceTest;
import java.util.List;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.client.RestTestClient;

/** What the ticket routes answer before any ticket is read or written: sessions, validation, the order of errors. */
@WebSliceTest
@Import(TicketsConfiguration.class)
class TicketRoutesWebTests {

    @Autowired
    RestTestClient http;
    @MockitoBean
    Tickets tickets;

    private ServiceInstance service;
    private TicketsClient client;
    private Session seller;

    @BeforeEach
    void signIn(ServiceInstance service) {
        this.service = service;
        client = new TicketsClient(http);
        seller = service.signIn();
    }

    /** The course checks "not 404"; the route's own answer to an empty body is the validation problem. */
    @Test
    void createRouteExists() {
        client.create(seller.cookie(), "{}").expectStatus().isBadRequest()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.status").isEqualTo(400)
                .jsonPath("$.instance").isEqualTo("/api/tickets")
                .jsonPath("$.errors[*].field").value(fields -> assertThat(fields).asInstanceOf(LIST)
                        .containsExactlyInAnyOrder("title", "price"));
    }

    @Test
    void createNeedsASignedInUser() {
        http.post().uri("/api/tickets").contentType(MediaType.APPLICATION_JSON).body(ticketJson("Concert", "10"))
                .exchange()
                .expectStatus().isUnauthorized()
                .expectBody().jsonPath("$.errors[0].message").isEqualTo("Not authorized");
    }

    /** The course checks "not 401"; signed in, the request gets past authentication to the body rules. */
    @Test
    void createIsNotUnauthorizedWhenSignedIn() {
        client.create(seller.cookie(), "{}").expectStatus().isBadRequest()
                .expectBody()
                .jsonPath("$.errors[*].message").value(messages -> assertThat(messages).asInstanceOf(LIST)
                        .containsExactlyInAnyOrder("Title is required", "Price must be greater than 0"));
    }

    @Test
    void rejectsEmptyOrMissingTitle() {
        client.create(seller.cookie(), ticketJson("", "10")).expectStatus().isBadRequest()
                .expectBody()
                .jsonPath("$.errors[0].message").isEqualTo("Title is required")
                .jsonPath("$.errors[0].field").isEqualTo("title");
        client.create(seller.cookie(), "{\"price\":10}").expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].message").isEqualTo("Title is required");
        verifyNothingStored();
    }

    @Test
    void rejectsNegativeOrMissingPrice() {
        client.create(seller.cookie(), ticketJson("Concert", "-10")).expectStatus().isBadRequest()
                .expectBody()
                .jsonPath("$.errors[0].message").isEqualTo("Price must be greater than 0")
                .jsonPath("$.errors[0].field").isEqualTo("price");
        client.create(seller.cookie(), "{\"title\":\"Concert\"}").expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].message").isEqualTo("Price must be greater than 0");
        verifyNothingStored();
    }

    @Test
    void reportsEveryFailedFieldAtOnce() {
        client.create(seller.cookie(), "{}").expectStatus().isBadRequest()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.status").isEqualTo(400)
                .jsonPath("$.instance").isEqualTo("/api/tickets")
                .jsonPath("$.errors.length()").isEqualTo(2);
    }

    @Test
    void rejectsListLimitsOutOfBounds() {
        http.get().uri("/api/tickets?limit=0").exchange().expectStatus().isBadRequest();
        http.get().uri("/api/tickets?limit=501").exchange().expectStatus().isBadRequest();
        http.get().uri("/api/tickets?limit=ten").exchange().expectStatus().isBadRequest();
        http.get().uri("/api/tickets?after=nope").exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].message").isEqualTo("after must be a ticket id");
    }

    @Test
    void updateNeedsASignedInUser() {
        http.put().uri("/api/tickets/{id}", new ObjectId().toHexString()).contentType(MediaType.APPLICATION_JSON)
                .body(ticketJson("New", "20")).exchange()
                .expectStatus().isUnauthorized();
    }

    @Test
    void checksBodyBeforeExistenceAndExistenceBeforeOwnership() {
        client.update(seller.cookie(), new ObjectId().toHexString(), "{}").expectStatus().isBadRequest();
        client.update(service.signIn().cookie(), new ObjectId().toHexString(), ticketJson("New", "20"))
                .expectStatus().isNotFound();
    }

    @Test
    void rejectsHostilePricesAndStoresNothing() {
        for (String price : List.of("\"abc\"", "\"NaN\"", "\"-0\"", "-0", "1e309", "\"1e3\"", "0.001", "1000000.01",
                "[10]", "{\"$gt\":0}", "true", "null", "\"\"", "\" \"", "\"0x10\"", "\"Infinity\"")) {
            client.create(seller.cookie(), ticketJson("Concert", price))
                    .expectStatus().isBadRequest()
                    .expectBody().jsonPath("$.errors[0].message").exists();
        }
        verifyNothingStored();
    }

    @Test
    void rejectsHostileTitlesAndStoresNothing() {
        client.create(seller.cookie(), ticketJson("x".repeat(10_000), "10")).expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].message").isEqualTo("Title must be at most 200 characters");
        client.create(seller.cookie(), "{\"title\":[\"a\"],\"price\":10}").expectStatus().isBadRequest();
        client.create(seller.cookie(), "{\"title\":{\"$ne\":null},\"price\":10}").expectStatus().isBadRequest();
        client.create(seller.cookie(), "{\"title\":\"   \",\"price\":10}").expectStatus().isBadRequest();
        client.create(seller.cookie(), "{\"title\":\"Concert\",").expectStatus().isBadRequest();
        client.create(seller.cookie(), "[]").expectStatus().isBadRequest();
        verifyNothingStored();
    }

    private void verifyNothingStored() {
        verify(tickets, never()).save(any(Ticket.class));
    }
}
