package dev.ticketing.orders;

import dev.ticketing.events.TicketUpdated;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a batch of {@code ticket.updated} events lands on the replica, given the versions it holds: the rule of
 * {@link TicketUpdatedHandler} for many events at once, without I/O. For each ticket, the run of consecutive
 * versions that starts right after the held one becomes one conditional write ({@code version == held} → the
 * run's last state and version): the versions are applied in order, each onto its predecessor, as one atomic
 * step. Versions at or below the held one are repeats; those after a gap (or of a ticket not held) are early.
 *
 * @param writes one per ticket with a run to apply
 * @param repeats indexes (into the batch) of events the replica already holds
 * @param early indexes of events whose predecessor the replica does not hold yet
 */
record TicketUpdatePlan(List<Write> writes, List<Integer> repeats, List<Integer> early) {

    /**
     * Moves ticket {@code ticketId} from version {@code expected} to {@code last.version()} with {@code last}'s state.
     *
     * @param covered indexes of the events this write applies: the run, and any copy of one of its events
     */
    record Write(String ticketId, long expected, TicketUpdated last, List<Integer> covered) {
    }

    static TicketUpdatePlan of(List<TicketUpdated> batch, Map<String, Long> held) {
        Map<String, List<Integer>> byTicket = new LinkedHashMap<>();
        for (int i = 0; i < batch.size(); i++) {
            byTicket.computeIfAbsent(batch.get(i).id(), id -> new ArrayList<>()).add(i);
        }
        List<Write> writes = new ArrayList<>();
        List<Integer> repeats = new ArrayList<>();
        List<Integer> early = new ArrayList<>();
        for (Map.Entry<String, List<Integer>> ticket : byTicket.entrySet()) {
            List<Integer> indexes = ticket.getValue();
            Long current = held.get(ticket.getKey());
            if (current == null) {
                early.addAll(indexes); // its ticket.created has not been applied yet
                continue;
            }
            indexes.sort(Comparator.comparingLong(i -> batch.get(i).version()));
            long next = current + 1;
            TicketUpdated last = null;
            List<Integer> covered = new ArrayList<>();
            for (int i : indexes) {
                long version = batch.get(i).version();
                if (version <= current) {
                    repeats.add(i);
                } else if (version < next) {
                    covered.add(i); // a second copy of a version in the run: settled with it
                } else if (version == next) {
                    covered.add(i);
                    last = batch.get(i);
                    next++;
                } else {
                    early.add(i); // a gap: its predecessor is elsewhere (another replica) or still to come
                }
            }
            if (last != null) {
                writes.add(new Write(ticket.getKey(), current, last, List.copyOf(covered)));
            }
        }
        return new TicketUpdatePlan(List.copyOf(writes), List.copyOf(repeats), List.copyOf(early));
    }
}
