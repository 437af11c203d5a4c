package dev.ticketing.orders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.ticketing.events.TicketUpdated;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The replica's rule for a batch: consecutive versions after the held one, in one write per ticket. */
class TicketUpdatePlanTests {

    @Test
    void mergesConsecutiveVersionsIntoOneWriteOntoTheHeldVersion() {
        List<TicketUpdated> batch = List.of(update("a", 3), update("a", 1), update("a", 2));

        TicketUpdatePlan plan = TicketUpdatePlan.of(batch, Map.of("a", 0L));

        assertThat(plan.writes()).singleElement().satisfies(write -> {
            assertThat(write.ticketId()).isEqualTo("a");
            assertThat(write.expected()).isZero();
            assertThat(write.last()).isEqualTo(update("a", 3));
            assertThat(write.covered()).containsExactly(1, 2, 0);
        });
        assertThat(plan.repeats()).isEmpty();
        assertThat(plan.early()).isEmpty();
    }

    @Test
    void treatsVersionsTheReplicaHoldsAsRepeats() {
        List<TicketUpdated> batch = List.of(update("a", 4), update("a", 5), update("a", 6));

        TicketUpdatePlan plan = TicketUpdatePlan.of(batch, Map.of("a", 5L));

        assertThat(plan.repeats()).containsExactly(0, 1);
        assertThat(plan.writes()).singleElement().satisfies(write -> {
            assertThat(write.expected()).isEqualTo(5);
            assertThat(write.last().version()).isEqualTo(6);
            assertThat(write.covered()).containsExactly(2);
        });
    }

    @Test
    void leavesVersionsAfterAGapEarly() {
        List<TicketUpdated> batch = List.of(update("a", 1), update("a", 3), update("a", 4));

        TicketUpdatePlan plan = TicketUpdatePlan.of(batch, Map.of("a", 0L));

        assertThat(plan.writes()).singleElement().satisfies(write -> assertThat(write.last().version()).isEqualTo(1));
        assertThat(plan.early()).containsExactly(1, 2);
    }

    @Test
    void writesNothingWhenTheNextVersionIsMissing() {
        TicketUpdatePlan plan = TicketUpdatePlan.of(List.of(update("a", 10)), Map.of("a", 0L));

        assertThat(plan.writes()).isEmpty();
        assertThat(plan.early()).containsExactly(0);
    }

    @Test
    void leavesEveryUpdateOfATicketNotHeldEarly() {
        TicketUpdatePlan plan = TicketUpdatePlan.of(List.of(update("b", 1), update("b", 2)), Map.of("a", 0L));

        assertThat(plan.writes()).isEmpty();
        assertThat(plan.early()).containsExactly(0, 1);
    }

    @Test
    void settlesACopyOfAVersionWithTheWriteThatAppliesIt() {
        List<TicketUpdated> batch = List.of(update("a", 1), update("a", 1), update("a", 2));

        TicketUpdatePlan plan = TicketUpdatePlan.of(batch, Map.of("a", 0L));

        assertThat(plan.writes()).singleElement().satisfies(write -> {
            assertThat(write.last().version()).isEqualTo(2);
            assertThat(write.covered()).containsExactlyInAnyOrder(0, 1, 2);
        });
    }

    @Test
    void plansEachTicketOnItsOwn() {
        List<TicketUpdated> batch = List.of(update("a", 1), update("b", 8), update("a", 2), update("c", 1), update("b", 7));

        TicketUpdatePlan plan = TicketUpdatePlan.of(batch, Map.of("a", 0L, "b", 6L));

        assertThat(plan.writes()).extracting(TicketUpdatePlan.Write::ticketId, TicketUpdatePlan.Write::expected,
                write -> write.last().version())
                .containsExactlyInAnyOrder(tuple("a", 0L, 2L),
                        tuple("b", 6L, 8L));
        assertThat(plan.early()).containsExactly(3);
        assertThat(plan.repeats()).isEmpty();
    }

    private static TicketUpdated update(String id, long version) {
        return new TicketUpdated(id, version, "Show v" + version, BigDecimal.valueOf(10 + version), "seller", null);
    }
}
