package dev.ticketing.systemtests;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A seller working in the background while a test breaks something: ticket after ticket is created at
 * price 1 and edited to 2 and 3, each answer checked. The test watches {@link #completed()} to strike at
 * a chosen moment.
 */
final class WriteRun {

    static final BigDecimal FINAL_PRICE = BigDecimal.valueOf(3);

    private final EdgeClient edge;
    private final User seller;
    private final String label;
    private final int tickets;
    private final List<String> ids = new CopyOnWriteArrayList<>();
    private final AtomicInteger completed = new AtomicInteger();
    private CompletableFuture<List<String>> run = new CompletableFuture<>();

    WriteRun(EdgeClient edge, User seller, String label, int tickets) {
        this.edge = edge;
        this.seller = seller;
        this.label = label;
        this.tickets = tickets;
    }

    WriteRun start() {
        run = CompletableFuture.supplyAsync(this::writeAll);
        return this;
    }

    int completed() {
        return completed.get();
    }

    CompletableFuture<List<String>> run() {
        return run;
    }

    private List<String> writeAll() {
        for (int i = 0; i < tickets; i++) {
            String title = label + " " + i;
            Reply created = edge.post("/api/tickets", Map.of("title", title, "price", 1), seller);
            SystemView.expect(created, 201, "POST /api/tickets (" + title + ")");
            String id = created.id();
            for (int price = 2; price <= 3; price++) {
                SystemView.expect(edge.put("/api/tickets/" + id, Map.of("title", title, "price", price), seller), 200,
                        "PUT /api/tickets/" + id);
            }
            ids.add(id);
            completed.incrementAndGet();
        }
        return List.copyOf(ids);
    }
}
