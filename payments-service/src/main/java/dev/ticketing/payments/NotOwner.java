package dev.ticketing.payments;

/** Only the user who placed an order may pay for it, and only the payer may see a payment. The message is for logs. */
final class NotOwner extends RuntimeException {

    NotOwner(String message) {
        super(message, null, false, false);
    }
}
