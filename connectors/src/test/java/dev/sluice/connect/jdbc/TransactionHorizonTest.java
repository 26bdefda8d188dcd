package dev.sluice.connect.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TransactionHorizonTest {

    private static Instant t(int second) {
        return Instant.parse("2026-12-01T10:00:00Z").plusSeconds(second);
    }

    @Test
    void unknownUntilASampleHasNoTransactionOrAllOfItsTransactionsEnded() {
        TransactionHorizon horizon = new TransactionHorizon();
        assertEquals(Optional.empty(), horizon.record(t(0), Set.of("3/11")), "3/11 may have written before t0");
        assertEquals(Optional.empty(), horizon.record(t(1), Set.of("3/11", "4/2")));
        assertEquals(Optional.of(t(0)), horizon.record(t(2), Set.of("4/2")), "3/11 ended: everything before t0 did");
        assertEquals(Optional.of(t(3)), horizon.record(t(3), Set.of()), "nothing in progress: up to now");
    }

    @Test
    void aLongTransactionHoldsTheHorizonAtTheLastSampleBeforeItStartedWhileShortOnesComeAndGo() {
        TransactionHorizon horizon = new TransactionHorizon();
        assertEquals(Optional.of(t(0)), horizon.record(t(0), Set.of()));
        for (int s = 1; s <= 10; s++) {
            // "long" started just after t0; a different short transaction is in progress at every sample.
            assertEquals(Optional.of(t(0)), horizon.record(t(s), Set.of("long", "short" + s)), "at " + s);
        }
        assertEquals(Optional.of(t(10)), horizon.record(t(11), Set.of("short11")),
                "once it ends, up to the newest sample whose transactions all ended");
    }

    @Test
    void neverMovesBack() {
        TransactionHorizon horizon = new TransactionHorizon();
        horizon.record(t(5), Set.of());
        assertEquals(Optional.of(t(5)), horizon.record(t(4), Set.of()), "a clock step back does not lower it");
    }

    @Test
    void thinsOutItsSamplesWithoutPassingARunningTransaction() {
        TransactionHorizon horizon = new TransactionHorizon();
        horizon.record(t(0), Set.of());
        for (int s = 1; s <= 3 * TransactionHorizon.MAX_SAMPLES; s++) {
            assertEquals(Optional.of(t(0)), horizon.record(t(s), Set.of("long", "short" + s)));
        }
        assertTrue(horizon.pendingSamples() <= TransactionHorizon.MAX_SAMPLES, "bounded: " + horizon.pendingSamples());
        Instant after = horizon.record(t(100_000), Set.of("late")).orElseThrow();
        assertTrue(after.isAfter(t(0)) && after.isBefore(t(100_000)), "advances once it ended: " + after);
    }
}
