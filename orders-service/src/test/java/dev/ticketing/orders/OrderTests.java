package dev.ticketing.orders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ticketing.events.EventCodec;
import dev.ticketing.events.EventType;
import dev.ticketing.events.OrderCancelled;
import dev.ticketing.events.OrderCompleted;
import dev.ticketing.events.OrderCreated;
import dev.ticketing.events.OrderStatus;
import dev.ticketing.events.TicketingEvent;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class OrderTests {

    private static final String BUYER = "65f1c0ffee0000000000000b";
    private static final String TICKET = "65f1c0ffee0000000000000a";
    private static final Instant PLACED = Instant.parse("2026-05-01T12:00:00Z");
    private static final Instant EXPIRES = Instant.parse("2026-05-01T12:15:00Z");

    /** An order as loaded from the database at {@code version} in {@code status}, with an empty outbox. */
    private static Order stored(long version, OrderStatus status) {
        return new Order("65f1c0ffee0000000000000c", version, BUYER, status, EXPIRES, PLACED, TICKET,
                status.reservesTicket() ? TICKET : null, null);
    }

    /** The events in the outbox, read back from the JSON that will be published. */
    private static List<TicketingEvent> events(Order order) {
        return order.outbox().stream().<TicketingEvent>map(entry -> new EventCodec().decode(
                entry.payload().getBytes(StandardCharsets.UTF_8), EventType.ofSubject(entry.subject()).eventClass())).toList();
    }

    @Test
    void placingReservesTheTicketAndRecordsOrderCreatedAtVersionZero() {
        Ticket ticket = new Ticket(TICKET, "Concert", new BigDecimal("20.50"), 3);

        Order order = Order.place(BUYER, ticket, Instant.parse("2026-05-01T12:00:00.123456789Z"), Duration.ofMinutes(15));

        assertThat(order.status()).isEqualTo(OrderStatus.CREATED);
        assertThat(order.activeTicketId()).isEqualTo(TICKET);
        assertThat(order.createdAt()).isEqualTo(Instant.parse("2026-05-01T12:00:00.123Z"));
        assertThat(order.expiresAt()).isEqualTo(Instant.parse("2026-05-01T12:15:00.123Z"));
        assertThat(events(order)).containsExactly(new OrderCreated(order.id(), 0, OrderStatus.CREATED, BUYER,
                order.expiresAt(), new OrderCreated.Ticket(TICKET, new BigDecimal("20.5"))));
    }

    @Test
    void cancellingReleasesTheTicketAndRecordsOrderCancelledAtNextVersion() {
        Order order = stored(2, OrderStatus.CREATED);

        assertThat(order.cancel()).isTrue();

        assertThat(order.status()).isEqualTo(OrderStatus.CANCELLED);
        assertThat(order.activeTicketId()).isNull();
        assertThat(events(order)).containsExactly(new OrderCancelled(order.id(), 3, new OrderCancelled.Ticket(TICKET)));
    }

    @Test
    void cancellingAnOrderAwaitingPaymentIsAllowed() {
        Order order = stored(1, OrderStatus.AWAITING_PAYMENT);

        assertThat(order.cancel()).isTrue();
        assertThat(order.status()).isEqualTo(OrderStatus.CANCELLED);
    }

    @Test
    void cancellingACancelledOrderIsARepeat() {
        Order order = stored(1, OrderStatus.CANCELLED);

        assertThat(order.cancel()).isFalse();
        assertThat(order.outbox()).isEmpty();
    }

    @Test
    void aCompleteOrderCannotBeCancelled() {
        Order order = stored(2, OrderStatus.COMPLETE);

        assertThatThrownBy(order::cancel).isInstanceOf(OrderComplete.class).hasMessage("Cannot cancel a paid order");
        assertThat(order.status()).isEqualTo(OrderStatus.COMPLETE);
        assertThat(order.outbox()).isEmpty();
    }

    @Test
    void completingKeepsTheTicketAndRecordsOrderCompletedAtNextVersion() {
        Order order = stored(2, OrderStatus.CREATED);

        assertThat(order.complete()).isTrue();

        assertThat(order.status()).isEqualTo(OrderStatus.COMPLETE);
        assertThat(order.activeTicketId()).isEqualTo(TICKET);
        assertThat(events(order)).containsExactly(new OrderCompleted(order.id(), 3, new OrderCompleted.Ticket(TICKET)));
    }

    @Test
    void anOrderAwaitingPaymentCompletes() {
        Order order = stored(1, OrderStatus.AWAITING_PAYMENT);

        assertThat(order.complete()).isTrue();

        assertThat(order.status()).isEqualTo(OrderStatus.COMPLETE);
        assertThat(events(order)).containsExactly(new OrderCompleted(order.id(), 2, new OrderCompleted.Ticket(TICKET)));
    }

    @Test
    void completingACompleteOrderIsARepeat() {
        Order order = stored(3, OrderStatus.COMPLETE);

        assertThat(order.complete()).isFalse();

        assertThat(order.status()).isEqualTo(OrderStatus.COMPLETE);
        assertThat(order.outbox()).isEmpty();
    }

    @Test
    void aCancelledOrderStaysCancelledWhenItsPaymentArrives() {
        Order order = stored(1, OrderStatus.CANCELLED);

        assertThat(order.complete()).isFalse();

        assertThat(order.status()).isEqualTo(OrderStatus.CANCELLED);
        assertThat(order.activeTicketId()).isNull();
        assertThat(order.outbox()).isEmpty();
    }

    @Test
    void aCompletedOrderCannotBeCancelledAndNeverExpires() {
        Order order = stored(0, OrderStatus.CREATED);
        order.complete();

        assertThatThrownBy(order::cancel).isInstanceOf(OrderComplete.class);
        assertThat(order.expire(EXPIRES.plusSeconds(3600))).isFalse();

        assertThat(order.status()).isEqualTo(OrderStatus.COMPLETE);
        assertThat(events(order)).containsExactly(new OrderCompleted(order.id(), 1, new OrderCompleted.Ticket(TICKET)));
    }

    @Test
    void expiresOnlyOnceItsWindowHasPassed() {
        Order order = stored(0, OrderStatus.CREATED);

        assertThat(order.expire(EXPIRES.minusMillis(1))).isFalse();
        assertThat(order.outbox()).isEmpty();
        assertThat(order.expire(EXPIRES)).isTrue();

        assertThat(order.status()).isEqualTo(OrderStatus.CANCELLED);
        assertThat(order.activeTicketId()).isNull();
        assertThat(events(order)).containsExactly(new OrderCancelled(order.id(), 1, new OrderCancelled.Ticket(TICKET)));
    }

    @Test
    void aCompleteOrderNeverExpiresAndKeepsItsTicket() {
        Order order = stored(2, OrderStatus.COMPLETE);

        assertThat(order.expire(EXPIRES.plusSeconds(3600))).isFalse();

        assertThat(order.status()).isEqualTo(OrderStatus.COMPLETE);
        assertThat(order.activeTicketId()).isEqualTo(TICKET);
        assertThat(order.outbox()).isEmpty();
    }

    @Test
    void aCancelledOrderDoesNotExpireAgain() {
        Order order = stored(1, OrderStatus.CANCELLED);

        assertThat(order.expire(EXPIRES.plusSeconds(3600))).isFalse();

        assertThat(order.status()).isEqualTo(OrderStatus.CANCELLED);
        assertThat(order.outbox()).isEmpty();
    }

    @Test
    void anOrderAwaitingPaymentDoesNotExpire() {
        Order order = stored(3, OrderStatus.AWAITING_PAYMENT);

        assertThat(order.expire(EXPIRES.plusSeconds(3600))).isFalse();

        assertThat(order.status()).isEqualTo(OrderStatus.AWAITING_PAYMENT);
        assertThat(order.activeTicketId()).isEqualTo(TICKET);
        assertThat(order.outbox()).isEmpty();
    }

    @Test
    void onlyTheOwnerMayActOnAnOrder() {
        Order order = stored(0, OrderStatus.CREATED);

        order.requireOwner(BUYER);
        assertThatThrownBy(() -> order.requireOwner("65f1c0ffee00000000000099")).isInstanceOf(NotOwner.class);
    }

    @Test
    void restatesAnOrderThatHoldsItsTicketAsCreatedWithItsStatusAndTheTicketsPrice() {
        assertThat(stored(0, OrderStatus.CREATED).currentState(BigDecimal.TEN)).isEqualTo(new OrderCreated(
                "65f1c0ffee0000000000000c", 0, OrderStatus.CREATED, BUYER, EXPIRES, new OrderCreated.Ticket(TICKET, BigDecimal.TEN)));
        assertThat(stored(2, OrderStatus.COMPLETE).currentState(BigDecimal.TEN)).isEqualTo(new OrderCreated(
                "65f1c0ffee0000000000000c", 2, OrderStatus.COMPLETE, BUYER, EXPIRES, new OrderCreated.Ticket(TICKET, BigDecimal.TEN)));
    }

    @Test
    void restatesACancelledOrderAsCancelledAtItsVersion() {
        assertThat(stored(1, OrderStatus.CANCELLED).currentState(null))
                .isEqualTo(new OrderCancelled("65f1c0ffee0000000000000c", 1, new OrderCancelled.Ticket(TICKET)));
    }
}
