package dev.ticketing.payments;

import dev.ticketing.web.security.CurrentUser;
import jakarta.validation.Valid;
import java.util.Map;
import org.bson.types.ObjectId;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/** {@code /api/payments}: pay for one of the caller's orders, and see a payment. Every route needs a session. */
@RestController
@RequestMapping("/api/payments")
class PaymentController {

    private final Orders orders;
    private final Payments payments;
    private final Checkout checkout;

    PaymentController(Orders orders, Payments payments, Checkout checkout) {
        this.orders = orders;
        this.payments = payments;
        this.checkout = checkout;
    }

    /**
     * Checks in the contract's order: signed in, valid body, order known, caller owns it, order payable, no payment
     * yet (decided by the database), card accepted. Answers the payment's id.
     */
    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    Map<String, String> pay(@Valid @RequestBody NewPayment form, CurrentUser payer) {
        Order order = orders.findById(form.orderId())
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No order " + form.orderId()));
        order.requireOwner(payer.id());
        return Map.of("id", checkout.pay(order, form.token()).id());
    }

    /** The caller's payment; another user's is refused as the contract refuses others' orders (401). */
    @GetMapping("/{id}")
    PaymentView show(@PathVariable String id, CurrentUser user) {
        if (!ObjectId.isValid(id)) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "Malformed payment id " + id);
        }
        Payment payment = payments.findById(id)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No payment " + id));
        if (!payment.userId().equals(user.id())) {
            throw new NotOwner("User " + user.id() + " does not own payment " + id);
        }
        return PaymentView.of(payment);
    }
}
