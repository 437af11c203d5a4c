package dev.ticketing.payments;

import dev.ticketing.events.OrderStatus;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Currency;
import java.util.Locale;
import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.PersistenceCreator;
import org.springframework.data.mongodb.core.mapping.Document;
import org.springframework.data.mongodb.core.mapping.Field;
import org.springframework.data.mongodb.core.mapping.FieldType;

/**
 * This service's copy of an order, as the orders service last described it: who may pay it, how much, and whether it
 * can still be paid. The orders service owns the order and its version, so there is no {@code @Version} here: only
 * {@link Orders} writes it, with conditional writes on the version held.
 */
@Document("orders")
class Order {

    @Id
    private final String id;
    private final long version;
    private final String userId;
    @Field(targetType = FieldType.DECIMAL128)
    private final BigDecimal price;
    private final OrderStatus status;

    @PersistenceCreator
    Order(String id, long version, String userId, BigDecimal price, OrderStatus status) {
        this.id = id;
        this.version = version;
        this.userId = userId;
        this.price = price;
        this.status = status;
    }

    /** Only the user who placed the order may pay for it. */
    void requireOwner(String callerId) {
        if (!userId.equals(callerId)) {
            throw new NotOwner("User " + callerId + " does not own order " + id);
        }
    }

    /** Checks, in the contract's order, that the order can still be paid: not cancelled, not complete. */
    void requirePayable() {
        if (status == OrderStatus.CANCELLED) {
            throw new OrderWasCancelled();
        }
        if (status == OrderStatus.COMPLETE) {
            throw new OrderAlreadyPaid();
        }
    }

    boolean cancelled() {
        return status == OrderStatus.CANCELLED;
    }

    /** The price in the smallest unit of {@code currency} (cents for usd), as card providers take it. */
    long amountIn(String currency) {
        int digits = Math.max(0, Currency.getInstance(currency.toUpperCase(Locale.ROOT)).getDefaultFractionDigits());
        return price.movePointRight(digits).setScale(0, RoundingMode.HALF_UP).longValueExact();
    }

    String id() {
        return id;
    }

    long version() {
        return version;
    }

    String userId() {
        return userId;
    }

    BigDecimal price() {
        return price;
    }

    OrderStatus status() {
        return status;
    }
}
