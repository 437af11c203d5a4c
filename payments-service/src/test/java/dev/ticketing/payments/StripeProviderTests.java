package dev.ticketing.payments;

import static dev.ticketing.payments.FakeStripe.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ticketing.payments.FakeStripe.Answer;
import dev.ticketing.payments.PaymentProvider.CardDeclined;
import dev.ticketing.payments.PaymentProvider.ProviderUnavailable;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Stripe provider against a local stand-in that answers as Stripe's API does (its documented JSON, trimmed): what
 * stripe-java sends, and how Stripe's answers and network failures become the provider's outcomes.
 */
class StripeProviderTests {

    private static final String KEY = "sk_test_4eC39HqLyjWDarjtT1zdp7dc";
    /** Short, so that the calls Stripe never answers end quickly. */
    private static final Duration READ_TIMEOUT = Duration.ofMillis(300);
    /** The first try and stripe-java's two retries. */
    private static final int TRIES = 3;

    private FakeStripe stripe;
    private StripeProvider provider;

    @BeforeEach
    void start() throws IOException {
        stripe = new FakeStripe();
        provider = new StripeProvider(KEY, stripe.apiBase(), READ_TIMEOUT);
    }

    @AfterEach
    void stop() {
        stripe.close();
    }

    @Test
    void chargesTheTokenInCentsUnderTheIdempotencyKey() {
        stripe.answer(request -> json(200, charge("ch_3MmlLrLkdIwHu7ix0snN0B15", 2050)));

        String chargeId = provider.charge("tok_visa", 2050, "usd", "order-1-1");

        assertThat(chargeId).isEqualTo("ch_3MmlLrLkdIwHu7ix0snN0B15");
        assertThat(stripe.requests()).singleElement().satisfies(request -> {
            assertThat(request.method()).isEqualTo("POST");
            assertThat(request.path()).isEqualTo("/v1/charges");
            assertThat(request.headers().get("content-type")).startsWith("application/x-www-form-urlencoded");
            assertThat(request.form()).containsExactlyInAnyOrderEntriesOf(
                    Map.of("amount", "2050", "currency", "usd", "source", "tok_visa"));
            assertThat(request.idempotencyKey()).isEqualTo("order-1-1");
            assertThat(request.headers()).containsEntry("authorization", "Bearer " + KEY);
        });
    }

    @Test
    void answersARepeatedKeyWithTheFirstChargeAsStripeReplaysIt() {
        var chargesByKey = new ConcurrentHashMap<String, String>();
        var charged = new AtomicInteger();
        stripe.answer(request -> {
            String known = chargesByKey.get(request.idempotencyKey());
            if (known != null) {
                return new Answer.Json(200, known, Map.of("Idempotent-Replayed", "true"));
            }
            String charge = charge("ch_" + charged.incrementAndGet(), 2050);
            chargesByKey.put(request.idempotencyKey(), charge);
            return json(200, charge);
        });

        String first = provider.charge("tok_visa", 2050, "usd", "order-1-1");
        String repeat = provider.charge("tok_visa", 2050, "usd", "order-1-1");

        assertThat(repeat).isEqualTo(first);
        assertThat(charged).hasValue(1);
        assertThat(stripe.requests()).extracting(FakeStripe.Request::idempotencyKey)
                .containsExactly("order-1-1", "order-1-1");
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            402 | card_error            | card_declined      | Your card was declined.
            402 | card_error            | card_declined      | Your card has insufficient funds.
            400 | invalid_request_error | resource_missing   | No such token: 'tok_unknown'
            400 | idempotency_error     | idempotency_error  | Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than 'order-1-1' if you meant to execute a different request.
            """)
    void refusalsAreDeclinesWithStripesMessageAndNotRetried(int status, String type, String code, String message) {
        stripe.answer(request -> json(status, error(type, code, message)));

        assertThatThrownBy(() -> provider.charge("tok_chargeDeclined", 2050, "usd", "order-1-1"))
                .isInstanceOf(CardDeclined.class)
                .hasMessage(message);
        assertThat(stripe.requests()).hasSize(1);
    }

    @ParameterizedTest(name = "{0} {2}")
    @CsvSource(delimiter = '|', textBlock = """
            500 | api_error             |                        | An unknown error occurred
            409 | invalid_request_error | idempotency_key_in_use | There is currently another in-progress request using this Idempotent Key (that probably means you submitted twice, and the other request is still going through): order-1-1. Please try again later.
            """)
    void retriesAServerErrorOrAKeyInUseUnderTheSameKeyThenReportsTheOutcomeUnknown(
            int status, String type, String code, String message) {
        stripe.answer(request -> json(status, error(type, code, message)));

        assertThatThrownBy(() -> provider.charge("tok_visa", 2050, "usd", "order-1-1"))
                .isInstanceOf(ProviderUnavailable.class);
        assertThat(stripe.requests()).hasSize(TRIES)
                .allSatisfy(request -> assertThat(request.idempotencyKey()).isEqualTo("order-1-1"));
    }

    @Test
    void retriesAnUnansweredChargeUnderTheSameKeyThenReportsTheOutcomeUnknown() {
        stripe.answer(request -> new Answer.Silence());

        assertThatThrownBy(() -> provider.charge("tok_visa", 2050, "usd", "order-1-1"))
                .isInstanceOf(ProviderUnavailable.class);
        assertThat(stripe.requests()).hasSize(TRIES)
                .allSatisfy(request -> assertThat(request.idempotencyKey()).isEqualTo("order-1-1"));
    }

    @Test
    void reportsADroppedConnectionAsAnUnknownOutcome() {
        stripe.answer(request -> new Answer.Drop());

        assertThatThrownBy(() -> provider.charge("tok_visa", 2050, "usd", "order-1-1"))
                .isInstanceOf(ProviderUnavailable.class);
        // The JDK's HttpURLConnection sends a POST again once when the connection drops before an answer
        // (sun.net.http.retryPost); stripe-java retries only failed connects and timeouts. Both repeat the key.
        assertThat(stripe.requests()).hasSize(2)
                .allSatisfy(request -> assertThat(request.idempotencyKey()).isEqualTo("order-1-1"));
    }

    @Test
    void reportsAnUnreachableStripeAsUnavailable() throws IOException {
        int closedPort;
        try (var socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        var unreachable = new StripeProvider(KEY, "http://127.0.0.1:" + closedPort, READ_TIMEOUT);

        assertThatThrownBy(() -> unreachable.charge("tok_visa", 2050, "usd", "order-1-1"))
                .isInstanceOf(ProviderUnavailable.class);
    }

    @Test
    void reportsARejectedKeyAsUnavailableNamingStripeKey() {
        stripe.answer(request -> json(401, error("invalid_request_error", null,
                "Invalid API Key provided: sk_test_****p7dc")));

        assertThatThrownBy(() -> provider.charge("tok_visa", 2050, "usd", "order-1-1"))
                .isInstanceOf(ProviderUnavailable.class)
                .hasMessageContaining("STRIPE_KEY");
        assertThat(stripe.requests()).hasSize(1);
    }

    @Test
    void refundsTheWholeChargeUnderItsKey() {
        stripe.answer(request -> json(200, refund("re_3MmlLrLkdIwHu7ix0MdTsVWt", "ch_3MmlLrLkdIwHu7ix0snN0B15")));

        provider.refund("ch_3MmlLrLkdIwHu7ix0snN0B15", "refund-order-1");

        assertThat(stripe.requests()).singleElement().satisfies(request -> {
            assertThat(request.path()).isEqualTo("/v1/refunds");
            assertThat(request.form()).containsExactly(Map.entry("charge", "ch_3MmlLrLkdIwHu7ix0snN0B15"));
            assertThat(request.idempotencyKey()).isEqualTo("refund-order-1");
        });
    }

    @Test
    void takesAChargeAlreadyRefundedAsRefunded() {
        stripe.answer(request -> json(400, error("invalid_request_error", "charge_already_refunded",
                "Charge ch_3MmlLrLkdIwHu7ix0snN0B15 has already been refunded.")));

        provider.refund("ch_3MmlLrLkdIwHu7ix0snN0B15", "refund-order-1");

        assertThat(stripe.requests()).hasSize(1);
    }

    @Test
    void reportsAFailedRefundAsUnavailableSoThatItIsRetried() {
        stripe.answer(request -> json(404, error("invalid_request_error", "resource_missing",
                "No such charge: 'ch_unknown'")));

        assertThatThrownBy(() -> provider.refund("ch_unknown", "refund-order-1"))
                .isInstanceOf(ProviderUnavailable.class)
                .hasMessageContaining("No such charge");
    }

    /** A charge object as Stripe returns it, with the fields that matter here. */
    private static String charge(String id, long amount) {
        return """
                {
                  "id": "%s",
                  "object": "charge",
                  "amount": %d,
                  "amount_captured": %d,
                  "amount_refunded": 0,
                  "balance_transaction": "txn_3MmlLrLkdIwHu7ix0uke3Ezy",
                  "captured": true,
                  "created": 1679090539,
                  "currency": "usd",
                  "failure_code": null,
                  "failure_message": null,
                  "livemode": false,
                  "metadata": {},
                  "outcome": {"network_status": "approved_by_network", "reason": null, "risk_level": "normal",
                              "seller_message": "Payment complete.", "type": "authorized"},
                  "paid": true,
                  "payment_intent": null,
                  "refunded": false,
                  "source": {"id": "card_1MmlLrLkdIwHu7ixIJwEWSNR", "object": "card", "brand": "Visa",
                             "exp_month": 3, "exp_year": 2030, "last4": "4242"},
                  "status": "succeeded"
                }
                """.formatted(id, amount, amount);
    }

    private static String refund(String id, String chargeId) {
        return """
                {
                  "id": "%s",
                  "object": "refund",
                  "amount": 2050,
                  "balance_transaction": "txn_1MiN3gLkdIwHu7ixxapQrznl",
                  "charge": "%s",
                  "created": 1692942318,
                  "currency": "usd",
                  "metadata": {},
                  "payment_intent": null,
                  "reason": null,
                  "status": "succeeded"
                }
                """.formatted(id, chargeId);
    }

    /** Stripe's error body; a missing {@code code} is left out, as Stripe leaves it out of errors that have none. */
    private static String error(String type, String code, String message) {
        String codeField = code == null || code.isEmpty() ? "" : "\"code\": \"%s\", \"doc_url\": \"https://stripe.com/docs/error-codes/%s\", "
                .formatted(code, code.replace('_', '-'));
        return """
                {"error": {%s"message": "%s", "type": "%s"}}
                """.formatted(codeField, message.replace("\"", "\\\""), type);
    }
}
