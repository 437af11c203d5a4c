package dev.ticketing.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The JSON of every event is the course application's: same field names, same JSON types. */
class EventContractTests {

    private final EventCodec codec = new EventCodec();
    private final JsonMapper json = JsonMapper.builder().build();

    @Test
    void ticketCreatedHasTheCoursePayload() {
        TicketCreated event = new TicketCreated("65f1c0ffee0000000000000a", 0, "Concert", new BigDecimal("20.5"),
                "65f1c0ffee0000000000000b");

        assertShape(event, Map.of("id", "string", "version", "number", "title", "string", "price", "number",
                "userId", "string"));
        assertThat(tree(event).get("price").decimalValue()).isEqualByComparingTo("20.5");
        assertRoundTrips(event);
    }

    @Test
    void ticketUpdatedCarriesOrderIdOnlyWhileReserved() {
        TicketUpdated reserved = new TicketUpdated("t1", 3, "Concert", new BigDecimal("15"), "u1", "o1");
        TicketUpdated released = new TicketUpdated("t1", 4, "Concert", new BigDecimal("15"), "u1", null);

        assertShape(reserved, Map.of("id", "string", "version", "number", "title", "string", "price", "number",
                "userId", "string", "orderId", "string"));
        assertShape(released, Map.of("id", "string", "version", "number", "title", "string", "price", "number",
                "userId", "string"));
        assertRoundTrips(reserved);
        assertRoundTrips(released);
    }

    @Test
    void orderCreatedHasStatusExpiryAndTicket() {
        OrderCreated event = new OrderCreated("o1", 0, OrderStatus.CREATED, "u1",
                Instant.parse("2026-11-29T12:15:00Z"), new OrderCreated.Ticket("t1", new BigDecimal("10")));

        assertShape(event, Map.of("id", "string", "version", "number", "status", "string", "userId", "string",
                "expiresAt", "string", "ticket", "object"));
        JsonNode tree = tree(event);
        assertThat(tree.get("status").asString()).isEqualTo("created");
        assertThat(tree.get("expiresAt").asString()).isEqualTo("2026-11-29T12:15:00Z");
        assertThat(fieldTypes(tree.get("ticket"))).isEqualTo(Map.of("id", "string", "price", "number"));
        assertRoundTrips(event);
    }

    @Test
    void orderCancelledNamesTheTicketItReleases() {
        OrderCancelled event = new OrderCancelled("o1", 1, new OrderCancelled.Ticket("t1"));

        assertShape(event, Map.of("id", "string", "version", "number", "ticket", "object"));
        assertThat(fieldTypes(tree(event).get("ticket"))).isEqualTo(Map.of("id", "string"));
        assertRoundTrips(event);
    }

    @Test
    void orderCompletedNamesTheTicketItKeeps() {
        OrderCompleted event = new OrderCompleted("o1", 1, new OrderCompleted.Ticket("t1"));

        assertShape(event, Map.of("id", "string", "version", "number", "ticket", "object"));
        assertThat(fieldTypes(tree(event).get("ticket"))).isEqualTo(Map.of("id", "string"));
        assertRoundTrips(event);
    }

    @Test
    void paymentCreatedCarriesTheProvidersChargeId() {
        PaymentCreated event = new PaymentCreated("p1", "o1", "ch_1");

        assertShape(event, Map.of("id", "string", "orderId", "string", "stripeId", "string"));
        assertThat(event.recordId()).isEqualTo("o1");
        assertRoundTrips(event);
    }

    @Test
    void paymentRefundedNamesThePaymentAndOrder() {
        PaymentRefunded event = new PaymentRefunded("p1", "o1");

        assertShape(event, Map.of("id", "string", "orderId", "string"));
        assertRoundTrips(event);
    }

    @Test
    void expirationCompleteNamesTheOrder() {
        ExpirationComplete event = new ExpirationComplete("o1");

        assertShape(event, Map.of("orderId", "string"));
        assertRoundTrips(event);
    }

    @Test
    void orderStatusUsesTheCourseWireValues() {
        assertThat(OrderStatus.values()).extracting(OrderStatus::wireValue)
                .containsExactly("created", "cancelled", "awaiting:payment", "complete");
        OrderCreated awaiting = new OrderCreated("o1", 2, OrderStatus.AWAITING_PAYMENT, "u1", Instant.EPOCH,
                new OrderCreated.Ticket("t1", BigDecimal.ONE));
        assertThat(tree(awaiting).get("status").asString()).isEqualTo("awaiting:payment");
        assertRoundTrips(awaiting);
    }

    @Test
    void ignoresUnknownFieldsFromNewerProducers() {
        String newer = """
                {"id":"t1","version":2,"title":"Concert","price":12.5,"userId":"u1","currency":"EUR","venue":{"city":"Oslo"}}""";

        TicketCreated event = codec.decode(newer.getBytes(StandardCharsets.UTF_8), TicketCreated.class);

        assertThat(event).isEqualTo(new TicketCreated("t1", 2, "Concert", new BigDecimal("12.5"), "u1"));
    }

    @Test
    void rejectsPayloadWithoutAVersion() {
        String missing = """
                {"id":"t1","title":"Concert","price":12.5,"userId":"u1"}""";

        assertThatThrownBy(() -> codec.decode(missing.getBytes(StandardCharsets.UTF_8), TicketCreated.class))
                .isInstanceOf(EventCodec.MalformedEvent.class)
                .hasMessageContaining("TicketCreated");
    }

    @Test
    void rejectsPayloadThatIsNotJson() {
        assertThatThrownBy(() -> codec.decode("not json".getBytes(StandardCharsets.UTF_8), OrderCreated.class))
                .isInstanceOf(EventCodec.MalformedEvent.class);
    }

    @Test
    void everyEventHasOneStableSubject() {
        assertThat(EventType.values()).extracting(EventType::subject)
                .containsExactly("ticket.created", "ticket.updated", "order.created", "order.cancelled",
                        "order.completed", "expiration.complete", "payment.created", "payment.refunded");
        for (EventType type : EventType.values()) {
            assertThat(EventType.of(type.eventClass())).isSameAs(type);
            assertThat(EventType.ofSubject(type.subject())).isSameAs(type);
        }
        assertThat(new TicketCreated("t", 0, "x", BigDecimal.ONE, "u").type()).isEqualTo(EventType.TICKET_CREATED);
    }

    private void assertShape(TicketingEvent event, Map<String, String> expected) {
        assertThat(fieldTypes(tree(event))).isEqualTo(expected);
    }

    private void assertRoundTrips(TicketingEvent event) {
        assertThat(codec.decode(codec.encode(event), event.getClass())).isEqualTo(event);
    }

    private JsonNode tree(TicketingEvent event) {
        return json.readTree(codec.encode(event));
    }

    private static Map<String, String> fieldTypes(JsonNode node) {
        java.util.Map<String, String> types = new java.util.TreeMap<>();
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            JsonNode value = field.getValue();
            types.put(field.getKey(), value.isString() ? "string" : value.isNumber() ? "number"
                    : value.isObject() ? "object" : value.isBoolean() ? "boolean" : value.getNodeType().name());
        }
        return types;
    }
}
