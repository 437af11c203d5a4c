package dev.ticketing.client;

import dev.ticketing.client.Views.Order;
import java.util.List;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** The user's orders, one order's page with its countdown, and paying for it. */
@Controller
class OrderPages {

    /** The sandbox provider's test tokens, offered when no Stripe publishable key is configured. */
    record Card(String token, String label) {
    }

    static final List<Card> SANDBOX_CARDS = List.of(
            new Card("tok_visa", "Visa (succeeds)"),
            new Card("tok_chargeDeclined", "Declined card"),
            new Card("tok_insufficientFunds", "Insufficient funds"));

    private final Api api;
    private final ClientSettings settings;

    OrderPages(Api api, ClientSettings settings) {
        this.api = api;
        this.settings = settings;
    }

    @GetMapping("/orders")
    String orders(Model model) {
        if (model.getAttribute("currentUser") == null) {
            return "redirect:/auth/signin";
        }
        model.addAttribute("orders", api.orders());
        return "orders";
    }

    @GetMapping("/orders/{id}")
    String order(@PathVariable String id, Model model) {
        return show(api.order(id), FormErrors.NONE, model);
    }

    @PostMapping("/orders/{id}/payments")
    String pay(@PathVariable String id, @RequestParam(defaultValue = "") String token, Model model) {
        try {
            api.pay(id, token);
            return "redirect:/orders/" + id;
        } catch (ApiRefused refused) {
            FormErrors errors = TicketPages.errorsOf(refused);
            return show(api.order(id), errors, model);
        }
    }

    private String show(Order order, FormErrors errors, Model model) {
        model.addAttribute("order", order);
        model.addAttribute("errors", errors);
        model.addAttribute("cards", SANDBOX_CARDS);
        model.addAttribute("stripeKey", settings.stripePublishableKey());
        return "order";
    }
}
