package dev.ticketing.client;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** What the APIs answer, as the pages need it (unknown JSON fields are ignored). Methods the templates call are public: SpEL sees no others. */
final class Views {

    private Views() {
    }

    record User(String id, String email) {
    }

    record CurrentUser(@Nullable User currentUser) {
    }

    record Ticket(String id, String title, BigDecimal price, String userId, long version, @Nullable String orderId) {

        public boolean reserved() {
            return orderId != null;
        }

        public String status() {
            return reserved() ? "Reserved" : "Available";
        }
    }

    record Order(String id, String userId, String status, Instant expiresAt, long version, OrderTicket ticket) {

        public boolean awaitingPayment() {
            return status.equals("created") || status.equals("awaiting:payment");
        }

        public String statusText() {
            return statusText(status, expiresAt, Instant.now());
        }

        /** "Expired" is a cancellation at or after the deadline: the orders service cancelled it, not its owner. */
        static String statusText(String status, Instant expiresAt, Instant now) {
            return switch (status) {
                case "complete" -> "Paid";
                case "cancelled" -> now.isBefore(expiresAt) ? "Cancelled" : "Expired";
                default -> "Awaiting payment";
            };
        }

        public long secondsLeft() {
            return Math.max(0, Duration.between(Instant.now(), expiresAt).toSeconds());
        }
    }

    record OrderTicket(String id, String title, BigDecimal price) {
    }

    record Created(String id) {
    }
}
