package dev.ticketing.payments;

import dev.ticketing.events.PaymentCreated;
import dev.ticketing.events.PaymentRefunded;
import dev.ticketing.events.outbox.OutboxEntry;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.bson.types.ObjectId;
import org.jspecify.annotations.Nullable;
import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.PersistenceCreator;
import org.springframework.data.annotation.Version;
import org.springframework.data.mongodb.core.index.Indexed;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * The one payment of an order (a unique index on {@code orderId}). Its life:
 * {@code charging -> succeeded -> refunded}, or {@code charging -> declined}, and a declined payment is charged again
 * ({@code declined -> charging}, the next attempt) when its payer tries another card. Every change is a write
 * conditional on the version ({@code @Version}), so of two racing writers exactly one moves it; the events a change
 * causes go in the same document (the outbox).
 *
 * <p>The card token is kept only while the payment is charging, so that a recovery can repeat exactly the call a
 * crashed or unanswered charge made. {@code leaseExpiresAt} is set while work with the provider is in flight
 * (charging, or a refund asked for): past it, {@link PaymentRecovery} takes the payment over.
 */
@Document("payments")
class Payment {

    enum Status {
        CHARGING, SUCCEEDED, DECLINED, REFUNDED;

        /** As the API shows it. */
        String wireValue() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    @Id
    private final String id;
    @Version
    private @Nullable Long version;
    @Indexed(unique = true)
    private final String orderId;
    private final String userId;
    private Status status;
    private int attempt;
    private @Nullable String token;
    private @Nullable String chargeId;
    private final long amount;
    private final String currency;
    private final Instant createdAt;
    private Instant updatedAt;
    @Indexed(sparse = true)
    private @Nullable Instant leaseExpiresAt;
    private final List<OutboxEntry> outbox;

    @PersistenceCreator
    Payment(String id, @Nullable Long version, String orderId, String userId, Status status, int attempt,
            @Nullable String token, @Nullable String chargeId, long amount, String currency, Instant createdAt,
            Instant updatedAt, @Nullable Instant leaseExpiresAt, @Nullable List<OutboxEntry> outbox) {
        this.id = id;
        this.version = version;
        this.orderId = orderId;
        this.userId = userId;
        this.status = status;
        this.attempt = attempt;
        this.token = token;
        this.chargeId = chargeId;
        this.amount = amount;
        this.currency = currency;
        this.createdAt = createdAt;
        this.updatedAt = updatedAt;
        this.leaseExpiresAt = leaseExpiresAt;
        this.outbox = outbox == null ? new ArrayList<>() : new ArrayList<>(outbox);
    }

    /** The first attempt to pay {@code order} with the card behind {@code token}, leased until {@code leaseEnd}. */
    static Payment charge(Order order, String token, String currency, Instant now, Instant leaseEnd) {
        Instant at = now.truncatedTo(ChronoUnit.MILLIS);
        return new Payment(new ObjectId().toHexString(), null, order.id(), order.userId(), Status.CHARGING, 1, token, null,
                order.amountIn(currency), currency, at, at, leaseEnd, null);
    }

    /** Another card for an order whose last one was declined: the next attempt, with its own idempotency key. */
    void chargeAgain(String newToken, Instant now, Instant leaseEnd) {
        if (status != Status.DECLINED) {
            throw new OrderAlreadyPaid();
        }
        status = Status.CHARGING;
        attempt++;
        token = newToken;
        touch(now, leaseEnd);
    }

    /** The provider charged the card: the token is dropped and {@code payment.created} recorded. */
    void succeed(String newChargeId, Instant now) {
        requireStatus(Status.CHARGING);
        status = Status.SUCCEEDED;
        chargeId = newChargeId;
        token = null;
        touch(now, null);
        outbox.add(OutboxEntry.of(new PaymentCreated(id, orderId, newChargeId)));
    }

    /** The provider refused the card: the order stays payable with another one. */
    void decline(Instant now) {
        requireStatus(Status.CHARGING);
        status = Status.DECLINED;
        token = null;
        touch(now, null);
    }

    /** A refund is asked for (the order was cancelled): leased, so that a recovery finishes it if this one cannot. */
    void refundDue(Instant now, Instant leaseEnd) {
        requireStatus(Status.SUCCEEDED);
        touch(now, leaseEnd);
    }

    /** The provider refunded the charge: {@code payment.refunded} is recorded. */
    void refunded(Instant now) {
        requireStatus(Status.SUCCEEDED);
        status = Status.REFUNDED;
        touch(now, null);
        outbox.add(OutboxEntry.of(new PaymentRefunded(id, orderId)));
    }

    /** A recovery takes over work whose lease has passed: a new lease, so other replicas leave it alone. */
    void renewLease(Instant now, Instant leaseEnd) {
        touch(now, leaseEnd);
    }

    /** The charge's idempotency key: the same for every try of one attempt, so a repeat never charges twice. */
    String chargeKey() {
        return orderId + "-" + attempt;
    }

    /** The refund's idempotency key: one refund per order. */
    String refundKey() {
        return "refund-" + orderId;
    }

    private void requireStatus(Status expected) {
        if (status != expected) {
            throw new IllegalStateException("Payment " + id + " is " + status.wireValue() + ", not " + expected.wireValue());
        }
    }

    private void touch(Instant now, @Nullable Instant leaseEnd) {
        updatedAt = now.truncatedTo(ChronoUnit.MILLIS);
        leaseExpiresAt = leaseEnd == null ? null : leaseEnd.truncatedTo(ChronoUnit.MILLIS);
    }

    String id() {
        return id;
    }

    long version() {
        return version == null ? 0 : version;
    }

    String orderId() {
        return orderId;
    }

    String userId() {
        return userId;
    }

    Status status() {
        return status;
    }

    int attempt() {
        return attempt;
    }

    /** The card token; present only while charging. */
    @Nullable
    String token() {
        return token;
    }

    /** The token of a payment being charged. */
    String chargingToken() {
        return Objects.requireNonNull(token, () -> "payment " + id + " is charging without a token");
    }

    @Nullable
    String chargeId() {
        return chargeId;
    }

    long amount() {
        return amount;
    }

    String currency() {
        return currency;
    }

    @Nullable
    Instant leaseExpiresAt() {
        return leaseExpiresAt;
    }

    List<OutboxEntry> outbox() {
        return List.copyOf(outbox);
    }
}
