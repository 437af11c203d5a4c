package dev.ticketing.payments;

import static dev.ticketing.payments.PaymentsClient.paymentJson;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;

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
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.client.RestTestClient;

/** What the payment routes answer before any order is read or card charged: sessions, validation, hostile bodies. */
@WebSliceTest
@Import(PaymentsConfiguration.class)
@EnableConfigurationProperties(PaymentsSettings.class)
class PaymentRoutesWebTests {

    @Autowired
    RestTestClient http;
    @MockitoBean
    Orders orders;
    @MockitoBean
    Payments payments;
    @MockitoBean
    Checkout checkout;

    private PaymentsClient client;
    private Session payer;

    @BeforeEach
    void signIn(ServiceInstance service) {
        client = new PaymentsClient(http);
        payer = service.signIn();
    }

    @Test
    void everyRouteNeedsASignedInUser() {
        String someId = new ObjectId().toHexString();
        http.post().uri("/api/payments").contentType(MediaType.APPLICATION_JSON).body(paymentJson("tok_visa", someId))
                .exchange()
                .expectStatus().isUnauthorized()
                .expectBody().jsonPath("$.errors[0].message").isEqualTo("Not authorized");
        http.get().uri("/api/payments/{id}", someId).exchange().expectStatus().isUnauthorized();
        verifyNoInteractions(orders, checkout);
    }

    @Test
    void checksTheSessionBeforeTheBody() {
        http.post().uri("/api/payments").contentType(MediaType.APPLICATION_JSON).body("{}").exchange()
                .expectStatus().isUnauthorized();
    }

    @Test
    void requiresAToken() {
        String orderId = new ObjectId().toHexString();
        for (String body : List.of("{\"orderId\":\"" + orderId + "\"}", paymentJson("", orderId), paymentJson("   ", orderId),
                "{\"token\":null,\"orderId\":\"" + orderId + "\"}")) {
            client.pay(payer.cookie(), body).expectStatus().isBadRequest()
                    .expectBody()
                    .jsonPath("$.errors.length()").isEqualTo(1)
                    .jsonPath("$.errors[0].message").isEqualTo("Token is required")
                    .jsonPath("$.errors[0].field").isEqualTo("token");
        }
        verifyNoInteractions(orders, checkout);
    }

    @Test
    void requiresAWellFormedOrderId() {
        for (String body : List.of("{\"token\":\"tok_visa\"}", paymentJson("tok_visa", ""), paymentJson("tok_visa", "abc"),
                "{\"token\":\"tok_visa\",\"orderId\":null}", paymentJson("tok_visa", new ObjectId().toHexString() + "0"),
                paymentJson("tok_visa", "zzzzzzzzzzzzzzzzzzzzzzzz"))) {
            client.pay(payer.cookie(), body).expectStatus().isBadRequest()
                    .expectBody()
                    .jsonPath("$.errors.length()").isEqualTo(1)
                    .jsonPath("$.errors[0].message").isEqualTo("OrderId is required")
                    .jsonPath("$.errors[0].field").isEqualTo("orderId");
        }
        verifyNoInteractions(orders, checkout);
    }

    @Test
    void reportsEveryBrokenRuleOfAnEmptyBody() {
        client.pay(payer.cookie(), "{}").expectStatus().isBadRequest()
                .expectBody()
                .jsonPath("$.errors.length()").isEqualTo(2)
                .jsonPath("$.errors[?(@.field == 'token')].message").isEqualTo("Token is required")
                .jsonPath("$.errors[?(@.field == 'orderId')].message").isEqualTo("OrderId is required");
    }

    @Test
    void refusesOperatorsWrongTypesAndMalformedBodiesWithoutReadingAnOrder() {
        String orderId = new ObjectId().toHexString();
        for (String body : List.of("{\"token\":\"tok_visa\",\"orderId\":{\"$gt\":\"\"}}",
                "{\"token\":\"tok_visa\",\"orderId\":{\"$ne\":null}}", "{\"token\":{\"$ne\":null},\"orderId\":\"" + orderId + "\"}",
                "{\"token\":\"tok_visa\",\"orderId\":[\"" + orderId + "\"]}", "{\"token\":[\"tok_visa\"],\"orderId\":\"" + orderId + "\"}",
                "{\"token\":42,\"orderId\":\"" + orderId + "\"}x", "[" + paymentJson("tok_visa", orderId) + "]", "[]",
                "{\"token\":", "", "null", "\"tok_visa\"")) {
            client.pay(payer.cookie(), body).expectStatus().isBadRequest()
                    .expectBody().jsonPath("$.errors[0].message").isNotEmpty();
        }
        verify(orders, never()).findById(anyString());
        verify(checkout, never()).pay(any(), anyString());
    }

    @Test
    void refusesABodyThatIsNotJson() {
        http.post().uri("/api/payments").header(HttpHeaders.COOKIE, payer.cookie())
                .contentType(MediaType.TEXT_PLAIN).body("token=tok_visa").exchange()
                .expectStatus().isEqualTo(415)
                .expectBody().jsonPath("$.errors[0].message").isEqualTo("Content type must be application/json");
        http.post().uri("/api/payments").header(HttpHeaders.COOKIE, payer.cookie()).exchange()
                .expectStatus().is4xxClientError()
                .expectBody().jsonPath("$.errors[0].message").isNotEmpty();
        verifyNoInteractions(orders, checkout);
    }

    @Test
    void answersNotFoundForAMalformedPaymentId() {
        client.show(payer.cookie(), "not-an-id").expectStatus().isNotFound()
                .expectBody().jsonPath("$.errors[0].message").isEqualTo("Not Found");
        verifyNoInteractions(payments);
    }
}
