package dev.ticketing.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A resync's id depends on the record, its version and the stream it restates them for, and on nothing else. */
class EventEnvelopeTests {

    private static final Instant STREAM = Instant.parse("2026-03-01T10:00:00.123Z");

    @Test
    void aResyncOfTheSameRecordVersionAndStreamHasTheSameId() {
        EventEnvelope first = EventEnvelope.resync(ticket("t1", 5), STREAM);
        EventEnvelope again = EventEnvelope.resync(ticket("t1", 5), STREAM);

        assertThat(again.eventId()).isEqualTo(first.eventId());
        assertThat(first.resync()).isTrue();
    }

    @Test
    void anotherRecordVersionStreamOrSubjectGetsAnotherId() {
        EventEnvelope resync = EventEnvelope.resync(ticket("t1", 5), STREAM);

        assertThat(EventEnvelope.resync(ticket("t2", 5), STREAM).eventId()).isNotEqualTo(resync.eventId());
        assertThat(EventEnvelope.resync(ticket("t1", 6), STREAM).eventId()).isNotEqualTo(resync.eventId());
        assertThat(EventEnvelope.resync(ticket("t1", 5), STREAM.plusMillis(1)).eventId()).isNotEqualTo(resync.eventId());
        assertThat(EventEnvelope.resync(new OrderCancelled("t1", 5, new OrderCancelled.Ticket("x")), STREAM).eventId())
                .isNotEqualTo(resync.eventId());
    }

    @Test
    void anEventAboutAChangeIsNoResync() {
        assertThat(EventEnvelope.of(ticket("t1", 5)).resync()).isFalse();
    }

    private static TicketUpdated ticket(String id, long version) {
        return new TicketUpdated(id, version, "Concert", BigDecimal.TEN, "u1", null);
    }
}
