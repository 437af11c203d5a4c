package dev.ticketing.tickets;

import dev.ticketing.tickets.TicketForm.NewTicket;
import dev.ticketing.tickets.TicketForm.TicketChanges;
import dev.ticketing.web.security.CurrentUser;
import jakarta.validation.Valid;
import java.util.List;
import org.bson.types.ObjectId;
import org.jspecify.annotations.Nullable;
import org.springframework.data.domain.Limit;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.util.UriComponentsBuilder;

/** {@code /api/tickets}: list, show, sell and edit tickets. Events go out through each ticket's outbox. */
@RestController
@RequestMapping("/api/tickets")
class TicketController {

    static final int DEFAULT_PAGE = 100;
    static final int MAX_PAGE = 500;

    private final Tickets tickets;

    TicketController(Tickets tickets) {
        this.tickets = tickets;
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    TicketView sell(@Valid @RequestBody NewTicket form, CurrentUser seller) {
        return TicketView.of(tickets.save(Ticket.list(form.title(), form.parsedPrice(), seller.id())));
    }

    /**
     * Tickets not reserved, oldest first, {@code limit} at a time (default 100, at most 500). When a page is
     * full, the {@code Link} header names the next one ({@code ?after=<last id>}); the page after a ticket
     * starts at that ticket's place in the order, even if it has been reserved since.
     */
    @GetMapping
    ResponseEntity<List<TicketView>> available(@RequestParam(required = false) @Nullable String after,
            @RequestParam(defaultValue = "" + DEFAULT_PAGE) int limit) {
        if (limit < 1 || limit > MAX_PAGE) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "limit must be between 1 and " + MAX_PAGE);
        }
        Ticket cursor = after == null ? null : cursor(after);
        List<TicketView> page = tickets.availableAfter(cursor, Limit.of(limit)).stream().map(TicketView::of).toList();
        ResponseEntity.BodyBuilder response = ResponseEntity.ok();
        if (page.size() == limit) {
            String next = UriComponentsBuilder.fromPath("/api/tickets")
                    .queryParam("after", page.getLast().id()).queryParam("limit", limit).build().toUriString();
            response.header(HttpHeaders.LINK, "<" + next + ">; rel=\"next\"");
        }
        return response.body(page);
    }

    @GetMapping("/{id}")
    TicketView show(@PathVariable String id) {
        return TicketView.of(find(id));
    }

    /** Checks in the contract's order: signed in, valid body, ticket exists, not reserved, caller owns it. */
    @PutMapping("/{id}")
    TicketView edit(@PathVariable String id, @Valid @RequestBody TicketChanges form, CurrentUser editor) {
        Ticket ticket = find(id);
        ticket.edit(form.title(), form.parsedPrice(), editor.id());
        return TicketView.of(tickets.save(ticket));
    }

    private Ticket cursor(String after) {
        if (!ObjectId.isValid(after)) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "after must be a ticket id");
        }
        return tickets.findById(after)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.BAD_REQUEST,
                        "after must be the id of an existing ticket"));
    }

    private Ticket find(String id) {
        if (!ObjectId.isValid(id)) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "Malformed ticket id " + id);
        }
        return tickets.findById(id).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No ticket " + id));
    }
}
