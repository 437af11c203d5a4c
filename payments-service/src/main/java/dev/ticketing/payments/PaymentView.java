package dev.ticketing.payments;

/** A payment as {@code GET /api/payments/:id} shows it; {@code status} is charging, succeeded, declined or refunded. */
record PaymentView(String id, String orderId, String status) {

    static PaymentView of(Payment payment) {
        return new PaymentView(payment.id(), payment.orderId(), payment.status().wireValue());
    }
}
