package dev.ticketing.orders;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Configuration of orders ({@code ticketing.orders.*}), checked when the record is built so that a bad value
 * stops start-up with a message naming it.
 *
 * @param expiration how long an order holds its ticket waiting for payment ({@code ORDER_EXPIRATION})
 * @param expirationCheckInterval how often expired orders are looked for; an order is cancelled at most this
 *        long after its {@code expiresAt}
 * @param expirationBatch expired orders loaded per query; a sweep repeats the query until none are left
 */
@ConfigurationProperties("ticketing.orders")
record OrdersSettings(
        @DefaultValue("PT15M") Duration expiration,
        @DefaultValue("1s") Duration expirationCheckInterval,
        @DefaultValue("200") int expirationBatch) {

    OrdersSettings {
        if (expiration == null || !expiration.isPositive()) {
            throw new IllegalArgumentException("ticketing.orders.expiration (ORDER_EXPIRATION) must be a positive duration, e.g. PT15M");
        }
        if (expirationCheckInterval == null || !expirationCheckInterval.isPositive()) {
            throw new IllegalArgumentException("ticketing.orders.expiration-check-interval must be a positive duration");
        }
        if (expirationBatch < 1) {
            throw new IllegalArgumentException("ticketing.orders.expiration-batch must be at least 1");
        }
    }
}
