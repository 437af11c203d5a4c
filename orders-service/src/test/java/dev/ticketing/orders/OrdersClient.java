package dev.ticketing.orders;

import java.math.BigDecimal;
import org.bson.types.ObjectId;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;

/** The requests the orders tests repeat, spelled once. */
final class OrdersClient {

    private final RestTestClient client;

    OrdersClient(RestTestClient client) {
        this.client = client;
    }

    RestTestClient.ResponseSpec place(String cookie, String json) {
        return client.post().uri("/api/orders").header(HttpHeaders.COOKIE, cookie)
                .contentType(MediaType.APPLICATION_JSON).body(json).exchange();
    }

    RestTestClient.ResponseSpec list(String cookie) {
        return client.get().uri("/api/orders").header(HttpHeaders.COOKIE, cookie).exchange();
    }

    RestTestClient.ResponseSpec show(String cookie, String id) {
        return client.get().uri("/api/orders/{id}", id).header(HttpHeaders.COOKIE, cookie).exchange();
    }

    RestTestClient.ResponseSpec cancel(String cookie, String id) {
        return client.delete().uri("/api/orders/{id}", id).header(HttpHeaders.COOKIE, cookie).exchange();
    }

    /** Places an order and returns it as the API showed it. */
    OrderView placed(String cookie, String ticketId) {
        return place(cookie, orderJson(ticketId)).expectStatus().isCreated()
                .expectBody(OrderView.class).returnResult().getResponseBody();
    }

    static String orderJson(String ticketId) {
        return "{\"ticketId\":\"" + ticketId + "\"}";
    }

    /** A ticket in this service's replica, as if its {@code ticket.created} had been applied. */
    static Ticket ticketInReplica(Tickets tickets, String title, String price) {
        Ticket ticket = new Ticket(new ObjectId().toHexString(), title, new BigDecimal(price), 0);
        tickets.insertIfAbsent(ticket);
        return ticket;
    }
}
