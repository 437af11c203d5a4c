package dev.ticketing.tickets;

/** Only a ticket's seller may change it. The message is for logs; the caller reads the contract's 401. */
final class NotOwner extends RuntimeException {

    NotOwner(String message) {
        super(message, null, false, false);
    }
}
