package dev.ticketing.orders;

import dev.ticketing.web.security.SessionCookies;
import java.math.BigDecimal;
import java.util.UUID;
import org.bson.types.ObjectId;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseCookie;
import org.springframework.test.web.servlet.client.RestTestClient;

/** The requests the orders tests repeat, spelled once. Sessions are minted as auth-service would. */
final class OrdersClient {

    private final RestTestClient client;
    private final SessionCookies sessions;

    OrdersClient(RestTestClient client, SessionCookies sessions) {
        this.client = client;
        this.sessions = sessions;
    }

    /** A signed-in user: their id and the Cookie header that carries their session. */
    record Session(String userId, String cookie) {
    }

    Session signIn() {
        return signIn(sessions);
    }

    static Session signIn(SessionCookies sessions) {
        String userId = new ObjectId().toHexString();
        ResponseCookie cookie = sessions.issueFor(userId, "user-" + UUID.randomUUID() + "@test.com");
        return new Session(userId, cookie.getName() + "=" + cookie.getValue());
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
