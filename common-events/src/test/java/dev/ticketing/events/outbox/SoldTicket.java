package dev.ticketing.events.outbox;

import dev.ticketing.events.TicketCreated;
import dev.ticketing.events.TicketUpdated;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.Version;
import org.springframework.data.mongodb.core.mapping.Document;

/** A minimal aggregate with an outbox, as a service would write one. */
@Document("sold_tickets")
class SoldTicket {

    @Id
    private String id;
    @Version
    private Long version;
    private String title;
    private BigDecimal price;
    private List<OutboxEntry> outbox = new ArrayList<>();

    SoldTicket() {
    }

    static SoldTicket create(String id, String title, BigDecimal price) {
        SoldTicket ticket = new SoldTicket();
        ticket.id = id;
        ticket.title = title;
        ticket.price = price;
        ticket.outbox.add(OutboxEntry.of(new TicketCreated(id, 0, title, price, "user-1")));
        return ticket;
    }

    void reprice(BigDecimal newPrice) {
        price = newPrice;
        outbox.add(OutboxEntry.of(new TicketUpdated(id, version + 1, title, price, "user-1", null)));
    }

    String id() {
        return id;
    }

    List<OutboxEntry> outbox() {
        return outbox;
    }
}
