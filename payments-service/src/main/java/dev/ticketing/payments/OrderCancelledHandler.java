package dev.ticketing.payments;

import dev.ticketing.events.OrderCancelled;
import dev.ticketing.events.OrderStatus;
import dev.ticketing.events.bus.EventHandler;
import dev.ticketing.events.bus.EventMetadata;
import dev.ticketing.events.bus.Verdict;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * {@code order.cancelled}: the replica's order is cancelled, and a payment that already succeeded for it is refunded
 * (an order that expired while its payment was in flight). A payment still being charged is left to whoever charges
 * it: it reads the order again after the charge, and this write came first. Repeats refund too, so a redelivery
 * after a failed refund finishes it.
 */
@Component
class OrderCancelledHandler implements EventHandler<OrderCancelled> {

    private static final Logger log = LoggerFactory.getLogger(OrderCancelledHandler.class);

    private final Orders orders;
    private final Checkout checkout;

    OrderCancelledHandler(Orders orders, Checkout checkout) {
        this.orders = orders;
        this.checkout = checkout;
    }

    @Override
    public Verdict on(OrderCancelled event, EventMetadata metadata) {
        Verdict verdict = orders.advance(event.id(), event.version(), OrderStatus.CANCELLED, metadata.resync());
        if (verdict == Verdict.NOT_YET) {
            return verdict;
        }
        try {
            checkout.refundIfCancelled(event.id());
            return verdict;
        } catch (PaymentProvider.ProviderUnavailable e) {
            log.warn("Refund for cancelled order {} failed; the bus brings the cancellation back: {}", event.id(), e.toString());
            return Verdict.FAILED;
        }
    }
}
