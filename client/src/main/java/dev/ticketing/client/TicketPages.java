package dev.ticketing.client;

import dev.ticketing.client.Views.Order;
import dev.ticketing.client.Views.Ticket;
import dev.ticketing.client.Views.User;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;

/** The landing page (tickets for sale), a ticket's page, selling, editing and purchasing a ticket. */
@Controller
class TicketPages {

    record TicketForm(String title, String price) {

        TicketForm {
            title = title == null ? "" : title;
            price = price == null ? "" : price;
        }
    }

    private final Api api;

    TicketPages(Api api) {
        this.api = api;
    }

    @GetMapping("/")
    String landing(Model model) {
        model.addAttribute("tickets", api.tickets());
        return "index";
    }

    @GetMapping("/tickets/new")
    String newTicket(Model model) {
        if (model.getAttribute("currentUser") == null) {
            return "redirect:/auth/signin";
        }
        return showForm(null, new TicketForm("", ""), FormErrors.NONE, model);
    }

    @PostMapping("/tickets")
    String sell(TicketForm form, Model model) {
        try {
            Ticket created = api.createTicket(form.title(), form.price());
            return "redirect:/tickets/" + created.id();
        } catch (ApiRefused refused) {
            return showForm(null, form, errorsOf(refused), model);
        }
    }

    @GetMapping("/tickets/{id}")
    String ticket(@PathVariable String id, Model model) {
        return showTicket(api.ticket(id), FormErrors.NONE, model);
    }

    @GetMapping("/tickets/{id}/edit")
    String edit(@PathVariable String id, Model model) {
        Ticket ticket = api.ticket(id);
        return showForm(ticket, new TicketForm(ticket.title(), ticket.price().toPlainString()), FormErrors.NONE, model);
    }

    @PostMapping("/tickets/{id}/edit")
    String save(@PathVariable String id, TicketForm form, Model model) {
        try {
            api.updateTicket(id, form.title(), form.price());
            return "redirect:/tickets/" + id;
        } catch (ApiRefused refused) {
            FormErrors errors = errorsOf(refused);
            return showForm(api.ticket(id), form, errors, model);
        }
    }

    @PostMapping("/tickets/{id}/orders")
    String purchase(@PathVariable String id, Model model) {
        try {
            Order order = api.createOrder(id);
            return "redirect:/orders/" + order.id();
        } catch (ApiRefused refused) {
            FormErrors errors = errorsOf(refused);
            return showTicket(api.ticket(id), errors, model);
        }
    }

    private static String showTicket(Ticket ticket, FormErrors errors, Model model) {
        User user = (User) model.getAttribute("currentUser");
        model.addAttribute("ticket", ticket);
        model.addAttribute("owner", user != null && user.id().equals(ticket.userId()));
        model.addAttribute("errors", errors);
        return "ticket";
    }

    private static String showForm(@Nullable Ticket ticket, TicketForm form, FormErrors errors, Model model) {
        model.addAttribute("ticket", ticket);
        model.addAttribute("form", form);
        model.addAttribute("errors", errors);
        return "ticket-form";
    }

    /**
     * A form is shown again for what the user can fix (400, or 409: someone else changed the record first); signed
     * out or not found go to the general pages.
     */
    static FormErrors errorsOf(ApiRefused refused) {
        if (refused.status() != 400 && refused.status() != 409) {
            throw refused;
        }
        return FormErrors.of(refused);
    }
}
