package dev.ticketing.orders;

import dev.ticketing.events.OrderStatus;
import dev.ticketing.events.PaymentCreated;
import dev.ticketing.events.bus.EventHandler;
import dev.ticketing.events.bus.EventMetadata;
import dev.ticketing.events.bus.Verdict;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.stereotype.Component;

/**
 * {@code payment.created}: the order's payment succeeded, so the order completes ({@code order.completed} leaves
 * through its outbox). A cancelled order stays cancelled: payments-service refunds the charge when it learns of
 * the cancellation.
 */
@Component
class PaymentCreatedHandler implements EventHandler<PaymentCreated> {

    private static final Logger log = LoggerFactory.getLogger(PaymentCreatedHandler.class);

    private final Orders orders;

    PaymentCreatedHandler(Orders orders) {
        this.orders = orders;
    }

    @Override
    public Verdict on(PaymentCreated payment, EventMetadata metadata) {
        Optional<Order> found = orders.findById(payment.orderId());
        if (found.isEmpty()) {
            // This service writes every order before announcing it, so waiting cannot make this one appear.
            log.warn("payment.created {}: payment {} is for order {}, which does not exist", metadata.eventId(),
                    payment.id(), payment.orderId());
            return Verdict.REJECTED;
        }
        Order order = found.get();
        if (!order.complete()) {
            if (order.status() == OrderStatus.CANCELLED) {
                log.info("Payment {} is for order {}, which was cancelled first: it stays cancelled (payments-service"
                        + " refunds the charge)", payment.id(), order.id());
            }
            return Verdict.REPEAT;
        }
        try {
            orders.save(order);
            return Verdict.APPLIED;
        } catch (OptimisticLockingFailureException changedMeanwhile) {
            // Expiry or the owner cancelled it since it was loaded; the redelivery reloads it and decides again.
            log.debug("Order {} changed while completing it; payment.created {} comes again", order.id(),
                    metadata.eventId());
            return Verdict.FAILED;
        }
    }
}
