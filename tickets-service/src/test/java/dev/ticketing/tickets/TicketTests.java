package dev.ticketing.tickets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ticketing.events.EventCodec;
import dev.ticketing.events.EventType;
import dev.ticketing.events.TicketCreated;
import dev.ticketing.events.TicketUpdated;
import dev.ticketing.events.TicketingEvent;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;

class TicketTests {

    private static final String SELLER = "65f1c0ffee0000000000000b";

    /** A ticket as loaded from the database at {@code version}, with an empty outbox. */
    private static Ticket stored(long version, String orderId, List<String> released) {
        return new Ticket("65f1c0ffee0000000000000a", version, "Concert", BigDecimal.TEN, SELLER, orderId, released,
                null, Instant.parse("2024-03-13T10:00:00Z"));
    }

    /** The events in the outbox, read back from the JSON that will be published. */
    private static List<TicketingEvent> events(Ticket ticket) {
        return ticket.outbox().stream().<TicketingEvent>map(entry -> new EventCodec().decode(
                entry.payload().getBytes(StandardCharsets.UTF_8), EventType.ofSubject(entry.subject()).eventClass())).toList();
    }

    @Test
    void listingRecordsTicketCreatedAtVersionZero() {
        Ticket ticket = Ticket.list("  Concert ", new BigDecimal("20.50"), SELLER);

        assertThat(events(ticket)).containsExactly(
                new TicketCreated(ticket.id(), 0, "Concert", new BigDecimal("20.5"), SELLER));
    }

    @Test
    void listingRecordsItsCreationTimeToTheMillisecond() {
        Instant before = Instant.now().truncatedTo(ChronoUnit.MILLIS);

        Ticket ticket = Ticket.list("Concert", BigDecimal.TEN, SELLER);

        assertThat(ticket.createdAt()).isBetween(before, Instant.now())
                .isEqualTo(ticket.createdAt().truncatedTo(ChronoUnit.MILLIS));
    }

    @Test
    void editRecordsTicketUpdatedAtNextVersion() {
        Ticket ticket = stored(4, null, List.of());

        ticket.edit("Opera", new BigDecimal("30"), SELLER);

        assertThat(events(ticket)).containsExactly(
                new TicketUpdated(ticket.id(), 5, "Opera", new BigDecimal("30"), SELLER, null));
    }

    @Test
    void rejectsEditOfReservedTicketBeforeCheckingOwner() {
        Ticket ticket = stored(1, "order-1", List.of());

        assertThatThrownBy(() -> ticket.edit("Opera", BigDecimal.ONE, "someone-else"))
                .isInstanceOf(TicketReserved.class).hasMessage("Cannot edit a reserved ticket");
        assertThat(ticket.outbox()).isEmpty();
    }

    @Test
    void rejectsEditByAnotherUser() {
        Ticket ticket = stored(1, null, List.of());

        assertThatThrownBy(() -> ticket.edit("Opera", BigDecimal.ONE, "someone-else"))
                .isInstanceOf(NotOwner.class);
        assertThat(ticket.outbox()).isEmpty();
    }

    @Test
    void reservesFreeTicketOnceForAnOrder() {
        Ticket ticket = stored(2, null, List.of());

        assertThat(ticket.reserveFor("order-1")).isEqualTo(Ticket.Change.MADE);
        assertThat(ticket.reserveFor("order-1")).isEqualTo(Ticket.Change.NONE);

        assertThat(ticket.orderId()).isEqualTo("order-1");
        assertThat(events(ticket)).containsExactly(
                new TicketUpdated(ticket.id(), 3, "Concert", BigDecimal.TEN, SELLER, "order-1"));
    }

    @Test
    void reservationForAnotherOrderWaitsForTheHoldersCancellation() {
        Ticket ticket = stored(3, "order-1", List.of());

        assertThat(ticket.reserveFor("order-2")).isEqualTo(Ticket.Change.EARLY);
        assertThat(ticket.orderId()).isEqualTo("order-1");
    }

    @Test
    void ignoresLateRepeatOfAReleasedOrder() {
        Ticket ticket = stored(4, null, List.of("order-1"));

        assertThat(ticket.reserveFor("order-1")).isEqualTo(Ticket.Change.NONE);
        assertThat(ticket.orderId()).isNull();
        assertThat(ticket.outbox()).isEmpty();
    }

    @Test
    void releasesTicketOnceFromItsOrder() {
        Ticket ticket = stored(3, "order-1", List.of());

        assertThat(ticket.releaseFrom("order-1")).isEqualTo(Ticket.Change.MADE);
        assertThat(ticket.releaseFrom("order-1")).isEqualTo(Ticket.Change.NONE);

        assertThat(ticket.orderId()).isNull();
        assertThat(events(ticket)).containsExactly(
                new TicketUpdated(ticket.id(), 4, "Concert", BigDecimal.TEN, SELLER, null));
    }

    @Test
    void cancellationOfAnOrderNotYetAppliedIsEarly() {
        Ticket ticket = stored(0, null, List.of());

        assertThat(ticket.releaseFrom("order-9")).isEqualTo(Ticket.Change.EARLY);
        assertThat(ticket.outbox()).isEmpty();
    }

    @Test
    void remembersOnlyTheLatestReleasedOrders() {
        List<String> full = java.util.stream.IntStream.range(0, Ticket.RELEASED_ORDERS_KEPT)
                .mapToObj(n -> "order-" + n).toList();
        Ticket ticket = stored(40, "order-new", full);

        ticket.releaseFrom("order-new");

        assertThat(ticket.reserveFor("order-1")).isEqualTo(Ticket.Change.NONE);
        assertThat(ticket.reserveFor("order-new")).isEqualTo(Ticket.Change.NONE);
        assertThat(ticket.reserveFor("order-0")).isEqualTo(Ticket.Change.MADE); // the oldest fell out of the window
    }

    @Test
    void aResyncedCancellationReleasesTheTicketItsOrderHolds() {
        Ticket ticket = stored(3, "order-1", List.of());

        assertThat(ticket.releaseIfHeldBy("order-1")).isEqualTo(Ticket.Change.MADE);
        assertThat(ticket.releaseIfHeldBy("order-1")).isEqualTo(Ticket.Change.NONE);

        assertThat(ticket.orderId()).isNull();
        assertThat(events(ticket)).containsExactly(
                new TicketUpdated(ticket.id(), 4, "Concert", BigDecimal.TEN, SELLER, null));
    }

    @Test
    void aResyncedCancellationOfAnOrderThatDoesNotHoldTheTicketChangesNothingAndWaitsForNothing() {
        Ticket free = stored(0, null, List.of());
        Ticket heldByAnother = stored(5, "order-2", List.of());

        assertThat(free.releaseIfHeldBy("order-9")).isEqualTo(Ticket.Change.NONE);
        assertThat(heldByAnother.releaseIfHeldBy("order-9")).isEqualTo(Ticket.Change.NONE);

        assertThat(heldByAnother.orderId()).isEqualTo("order-2");
        assertThat(free.outbox()).isEmpty();
        assertThat(heldByAnother.outbox()).isEmpty();
    }

    @Test
    void restatesAnUnchangedTicketAsCreatedAndAChangedOneAsUpdatedAtItsVersion() {
        assertThat(stored(0, null, List.of()).currentState()).isEqualTo(
                new TicketCreated("65f1c0ffee0000000000000a", 0, "Concert", BigDecimal.TEN, SELLER));
        assertThat(stored(7, "order-1", List.of()).currentState()).isEqualTo(
                new TicketUpdated("65f1c0ffee0000000000000a", 7, "Concert", BigDecimal.TEN, SELLER, "order-1"));
    }
}
