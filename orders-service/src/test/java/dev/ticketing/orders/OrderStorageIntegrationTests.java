package dev.ticketing.orders;

import static dev.ticketing.orders.OrdersClient.ticketInReplica;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ticketing.events.OrderStatus;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.OptimisticLockingFailureException;

/** The rules the database itself keeps, below the HTTP routes: one active order per ticket, stale saves fail. */
@OrdersServiceTest
class OrderStorageIntegrationTests {

    private static final String BUYER = "65f1c0ffee0000000000000b";
    private static final String OTHER_BUYER = "65f1c0ffee0000000000000d";

    @Autowired
    Orders orders;
    @Autowired
    Tickets tickets;

    @Test
    void refusesASecondActiveOrderForOneTicket() {
        Ticket ticket = ticketInReplica(tickets, "Concert", "20");
        orders.save(Order.place(BUYER, ticket, Instant.now().plusSeconds(900)));

        assertThatThrownBy(() -> orders.save(Order.place(OTHER_BUYER, ticket, Instant.now().plusSeconds(900))))
                .isInstanceOf(DuplicateKeyException.class);
    }

    @Test
    void keepsAnyNumberOfCancelledOrdersBesideTheActiveOneForATicket() {
        Ticket ticket = ticketInReplica(tickets, "Concert", "20");
        for (int n = 0; n < 3; n++) {
            Order order = orders.save(Order.place(BUYER, ticket, Instant.now().plusSeconds(900)));
            order.cancel();
            orders.save(order);
        }

        Order active = orders.save(Order.place(OTHER_BUYER, ticket, Instant.now().plusSeconds(900)));

        assertThat(orders.findAll()).filteredOn(order -> order.ticketId().equals(ticket.id()))
                .extracting(Order::status).containsExactlyInAnyOrder(OrderStatus.CANCELLED, OrderStatus.CANCELLED,
                        OrderStatus.CANCELLED, OrderStatus.CREATED);
        assertThat(active.version()).isZero();
    }

    @Test
    void aSaveBasedOnAStaleVersionFailsAndTheFirstChangeStands() {
        Ticket ticket = ticketInReplica(tickets, "Concert", "20");
        Order placed = orders.save(Order.place(BUYER, ticket, Instant.now().minusSeconds(1)));
        Order byOwner = orders.findById(placed.id()).orElseThrow();
        Order byExpiry = orders.findById(placed.id()).orElseThrow();

        byOwner.cancel();
        orders.save(byOwner);
        byExpiry.expire(Instant.now());

        assertThatThrownBy(() -> orders.save(byExpiry)).isInstanceOf(OptimisticLockingFailureException.class);
        Order stored = orders.findById(placed.id()).orElseThrow();
        assertThat(stored.version()).isEqualTo(1);
        assertThat(stored.status()).isEqualTo(OrderStatus.CANCELLED);
    }
}
