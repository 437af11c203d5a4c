package dev.ticketing.orders;

import static dev.ticketing.orders.OrdersClient.orderJson;
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
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.client.RestTestClient;

/** What the order routes answer before any order is written: sessions, validation, the order of errors. */
@WebSliceTest
@Import(OrdersConfiguration.class)
@EnableConfigurationProperties(OrdersSettings.class)
class OrderRoutesWebTests {

    @Autowired
    RestTestClient http;
    @MockitoBean
    Orders orders;
    @MockitoBean
    Tickets tickets;

    private OrdersClient client;
    private Session buyer;

    @BeforeEach
    void signIn(ServiceInstance service) {
        client = new OrdersClient(http);
        buyer = service.signIn();
    }

    @Test
    void everyRouteNeedsASignedInUser() {
        String someId = new ObjectId().toHexString();
        http.post().uri("/api/orders").contentType(MediaType.APPLICATION_JSON).body(orderJson(someId)).exchange()
                .expectStatus().isUnauthorized()
                .expectBody().jsonPath("$.errors[0].message").isEqualTo("Not authorized");
        http.get().uri("/api/orders").exchange().expectStatus().isUnauthorized();
        http.get().uri("/api/orders/{id}", someId).exchange().expectStatus().isUnauthorized();
        http.delete().uri("/api/orders/{id}", someId).exchange().expectStatus().isUnauthorized();
    }

    @Test
    void rejectsMissingOrInvalidTicketIdsAndStoresNothing() {
        for (String body : List.of("{}", "{\"ticketId\":\"\"}", "{\"ticketId\":\"   \"}", "{\"ticketId\":\"abc\"}",
                "{\"ticketId\":null}", "{\"ticketId\":\"" + new ObjectId().toHexString() + "0\"}",
                "{\"ticketId\":\"zzzzzzzzzzzzzzzzzzzzzzzz\"}")) {
            client.place(buyer.cookie(), body).expectStatus().isBadRequest()
                    .expectBody()
                    .jsonPath("$.errors.length()").isEqualTo(1)
                    .jsonPath("$.errors[0].message").isEqualTo("TicketId must be provided")
                    .jsonPath("$.errors[0].field").isEqualTo("ticketId");
        }
        for (String body : List.of("{\"ticketId\":{\"$ne\":null}}", "{\"ticketId\":[\"" + new ObjectId().toHexString() + "\"]}",
                "[{\"ticketId\":\"" + new ObjectId().toHexString() + "\"}]", "[]", "{\"ticketId\":", "", "null")) {
            client.place(buyer.cookie(), body).expectStatus().isBadRequest()
                    .expectBody().jsonPath("$.errors[0].message").isNotEmpty();
        }
        verify(orders, never()).save(any(Order.class));
    }

    @Test
    void checksTheBodyBeforeTheTicket() {
        client.place(buyer.cookie(), "{\"ticketId\":\"abc\"}").expectStatus().isBadRequest();
        client.place(buyer.cookie(), orderJson(new ObjectId().toHexString())).expectStatus().isNotFound();
    }
}
