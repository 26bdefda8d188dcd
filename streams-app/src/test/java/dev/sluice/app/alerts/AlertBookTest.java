package dev.sluice.app.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The pending → firing → resolved state machine, its for-duration and its one notification per transition. */
class AlertBookTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Duration FOR = Duration.ofMinutes(2);
    private static final Finding PG = new Finding(Map.of("connector", "pg"), "connector pg is FAILED");

    private final AlertBook book = new AlertBook(10);

    @Test
    void aBreachIsPendingUntilItLastsTheForDurationThenFiresOnce() {
        assertTrue(book.apply("connector-failed", List.of(PG), FOR, T0).isEmpty());
        assertEquals(AlertState.PENDING, book.active().get(0).state());
        assertTrue(book.apply("connector-failed", List.of(PG), FOR, T0.plusSeconds(119)).isEmpty());

        List<AlertView> fired = book.apply("connector-failed", List.of(PG), FOR, T0.plusSeconds(120));
        assertEquals(1, fired.size());
        assertEquals(AlertState.FIRING, fired.get(0).state());
        assertEquals(Map.of("connector", "pg"), fired.get(0).labels());
        assertEquals(T0.toString(), fired.get(0).since());

        assertTrue(book.apply("connector-failed", List.of(PG), FOR, T0.plusSeconds(150)).isEmpty(),
                "still firing: no second notification");
        assertEquals(AlertState.FIRING, book.active().get(0).state());
    }

    @Test
    void aFiringAlertResolvesOnceWhenTheBreachEnds() {
        book.apply("connector-failed", List.of(PG), Duration.ZERO, T0);
        List<AlertView> resolved = book.apply("connector-failed", List.of(), Duration.ZERO, T0.plusSeconds(30));
        assertEquals(1, resolved.size());
        assertEquals(AlertState.RESOLVED, resolved.get(0).state());
        assertEquals(T0.plusSeconds(30).toString(), resolved.get(0).resolvedAt());
        assertTrue(book.active().isEmpty());
        assertTrue(book.apply("connector-failed", List.of(), Duration.ZERO, T0.plusSeconds(60)).isEmpty());
        assertEquals(List.of(AlertState.RESOLVED, AlertState.FIRING),
                book.recent().stream().map(AlertView::state).toList(), "recent, newest first");
    }

    @Test
    void aPendingBreachThatEndsIsForgottenWithoutNotificationAndStartsAnewLater() {
        book.apply("connector-failed", List.of(PG), FOR, T0);
        assertTrue(book.apply("connector-failed", List.of(), FOR, T0.plusSeconds(60)).isEmpty());
        assertTrue(book.active().isEmpty());
        assertTrue(book.apply("connector-failed", List.of(PG), FOR, T0.plusSeconds(90)).isEmpty(),
                "the for-duration counts from the new breach");
        assertTrue(book.apply("connector-failed", List.of(PG), FOR, T0.plusSeconds(200)).isEmpty());
        assertEquals(1, book.apply("connector-failed", List.of(PG), FOR, T0.plusSeconds(210)).size());
        assertTrue(book.recent().size() == 1);
    }

    @Test
    void alertsAreKeyedByRuleAndLabels() {
        Finding other = new Finding(Map.of("connector", "s3"), "connector s3 is FAILED");
        assertEquals(2, book.apply("connector-failed", List.of(PG, other), Duration.ZERO, T0).size());
        book.apply("slot-wal-retained", List.of(new Finding(Map.of("slot", "s"), "big")), Duration.ZERO, T0);

        List<AlertView> changed = book.apply("connector-failed", List.of(other), Duration.ZERO, T0.plusSeconds(1));
        assertEquals(1, changed.size());
        assertEquals(Map.of("connector", "pg"), changed.get(0).labels());
        assertEquals(2, book.active().size(), "s3 still firing, the other rule's alert untouched");
    }

    @Test
    void recentKeepsOnlyTheLastN() {
        AlertBook small = new AlertBook(2);
        for (int i = 0; i < 3; i++) {
            small.apply("r" + i, List.of(new Finding(Map.of("n", "" + i), "x")), Duration.ZERO, T0.plusSeconds(i));
        }
        assertEquals(List.of(Map.of("n", "2"), Map.of("n", "1")),
                small.recent().stream().map(AlertView::labels).toList());
    }
}
