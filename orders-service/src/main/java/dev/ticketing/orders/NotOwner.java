package dev.ticketing.orders;

/** Only the user who placed an order may see or cancel it. The message is for logs; the caller reads the contract's 401. */
final class NotOwner extends RuntimeException {

    NotOwner(String message) {
        super(message, null, false, false);
    }
}
