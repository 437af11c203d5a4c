package dev.ticketing.payments;

import dev.ticketing.events.OrderCreated;
import dev.ticketing.events.OrderStatus;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.bson.types.ObjectId;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;

/** The requests and the orders the payments tests repeat, spelled once. */
final class PaymentsClient {

    private final RestTestClient client;

    PaymentsClient(RestTestClient client) {
        this.client = client;
    }

    RestTestClient.ResponseSpec pay(String cookie, String json) {
        return client.post().uri("/api/payments").header(HttpHeaders.COOKIE, cookie)
                .contentType(MediaType.APPLICATION_JSON).body(json).exchange();
    }

    RestTestClient.ResponseSpec show(String cookie, String id) {
        return client.get().uri("/api/payments/{id}", id).header(HttpHeaders.COOKIE, cookie).exchange();
    }

    /** Pays and returns the payment's id from the 201. */
    String paid(String cookie, String token, String orderId) {
        return pay(cookie, paymentJson(token, orderId)).expectStatus().isCreated()
                .expectBody(IdOnly.class).returnResult().getResponseBody().id();
    }

    record IdOnly(String id) {
    }

    static String paymentJson(String token, String orderId) {
        return "{\"token\":\"" + token + "\",\"orderId\":\"" + orderId + "\"}";
    }

    /** {@code order.created} as the orders service publishes it, for a ticket at {@code price}. */
    static OrderCreated orderCreated(String userId, String price) {
        return new OrderCreated(new ObjectId().toHexString(), 0, OrderStatus.CREATED, userId,
                Instant.now().plus(15, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.MILLIS),
                new OrderCreated.Ticket(new ObjectId().toHexString(), new BigDecimal(price)));
    }

    /** An order in this service's replica, as if its {@code order.created} had been applied. */
    static Order orderInReplica(Orders orders, String userId, String price, OrderStatus status) {
        Order order = new Order(new ObjectId().toHexString(), 0, userId, new BigDecimal(price), status);
        orders.insert(order);
        return order;
    }
}
