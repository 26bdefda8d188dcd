package dev.sluice.connect.jdbc;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The latest database time before which every transaction has ended, learnt from successive samples of the
 * transactions in progress.
 *
 * <p>A transaction still in progress at sample time {@code t} either started after {@code t} or is in that
 * sample's set. So once no member of the set of sample {@code t} is in progress any more, every transaction that
 * started before {@code t} has committed or rolled back, and its rows are visible to any later snapshot. A
 * transaction in progress now that was in progress at an older sample was also in progress at every sample
 * since, so the samples whose transactions have all ended form a prefix of the history: the horizon is the
 * newest of them.
 */
final class TransactionHorizon {

    /** Samples kept while a long transaction holds the horizon back; beyond it every other one is dropped. */
    static final int MAX_SAMPLES = 1024;

    private record Sample(Instant time, Set<String> inProgress) {
    }

    private final Deque<Sample> pending = new ArrayDeque<>();
    private Instant horizon;

    /**
     * Records the transactions in progress (other than the reader's own) at database time {@code time}.
     *
     * @param inProgress identities of those transactions, stable for a transaction's lifetime
     * @return the time before which every transaction has ended; empty until one such time is known
     */
    Optional<Instant> record(Instant time, Set<String> inProgress) {
        while (!pending.isEmpty() && Collections.disjoint(pending.peekFirst().inProgress(), inProgress)) {
            advanceTo(pending.pollFirst().time());
        }
        if (inProgress.isEmpty()) {
            advanceTo(time);
        } else {
            pending.addLast(new Sample(time, Set.copyOf(inProgress)));
            if (pending.size() > MAX_SAMPLES) {
                thinOut();
            }
        }
        return Optional.ofNullable(horizon);
    }

    /** How many samples wait for their transactions to end. */
    int pendingSamples() {
        return pending.size();
    }

    private void advanceTo(Instant time) {
        if (horizon == null || time.isAfter(horizon)) {
            horizon = time;
        }
    }

    // Dropping a sample only makes the horizon advance in coarser steps, never past a running transaction.
    private void thinOut() {
        List<Sample> kept = new ArrayList<>(pending.size() / 2 + 1);
        int i = 0;
        for (Sample sample : pending) {
            if (i++ % 2 == 0) {
                kept.add(sample);
            }
        }
        pending.clear();
        pending.addAll(kept);
    }
}
