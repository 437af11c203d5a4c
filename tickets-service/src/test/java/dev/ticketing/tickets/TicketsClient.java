package dev.ticketing.tickets;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;

/** The requests the tickets tests repeat, spelled once. */
final class TicketsClient {

    private final RestTestClient client;

    TicketsClient(RestTestClient client) {
        this.client = client;
    }

    RestTestClient.ResponseSpec create(String cookie, String json) {
        return client.post().uri("/api/tickets").header(HttpHeaders.COOKIE, cookie)
                .contentType(MediaType.APPLICATION_JSON).body(json).exchange();
    }

    RestTestClient.ResponseSpec update(String cookie, String id, String json) {
        return client.put().uri("/api/tickets/{id}", id).header(HttpHeaders.COOKIE, cookie)
                .contentType(MediaType.APPLICATION_JSON).body(json).exchange();
    }

    RestTestClient.ResponseSpec show(String id) {
        return client.get().uri("/api/tickets/{id}", id).exchange();
    }

    /** Creates a ticket and returns it as the API showed it. */
    TicketView created(String cookie, String title, String price) {
        return create(cookie, ticketJson(title, price)).expectStatus().isCreated()
                .expectBody(TicketView.class).returnResult().getResponseBody();
    }

    static String ticketJson(String title, String price) {
        return "{\"title\":\"" + title + "\",\"price\":" + price + "}";
    }
}
