package dev.sluice.app.placement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.app.metrics.PipelineMetrics;
import dev.sluice.app.testing.Out;
import dev.sluice.app.testing.PipelineDriver;
import dev.sluice.app.testing.Rows;
import dev.sluice.schemas.gold.UserSession;
import dev.sluice.schemas.silver.EnrichedOrder;
import dev.sluice.schemas.silver.EnrichedOrderLine;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Records that arrive on their key's partition go straight to the keyed stage (the enricher for order events, the
 * sessions for user events); the others are rerouted there first and counted. Either way the output is the same.
 * (The test driver delivers every record on partition 0, so with one partition every record is at home, and with
 * three those whose key is homed on 1 or 2 are rerouted.)
 */
class KeyPlacementTopologyTest {

    private static final Instant ORDERED = PipelineDriver.NOW.minusSeconds(120);
    private static final int ORDERS = 30;
    private static final int USERS = 30;

    @Test
    void reroutedOrderEventsAreEnrichedExactlyLikeThoseAlreadyOnTheirPartition() {
        Result placed = run(1);
        Result mixed = run(3);

        assertEquals(0.0, placed.rerouted(), "with one partition every event is on its order's partition");
        long offHome = 0;
        for (long id = 1; id <= ORDERS; id++) {
            offHome += KeyPlacement.partitionOf(Long.toString(id), 3) != 0 ? 3 : 0;
        }
        assertTrue(offHome > 0 && offHome < 3 * ORDERS, "the ids span every partition: " + offHome);
        assertEquals(offHome, mixed.rerouted(), "each order and its two lines homed off partition 0, rerouted once");

        assertEquals(ORDERS, placed.orders().size());
        assertEquals(2 * ORDERS, placed.lines().size());
        assertEquals(placed.orders(), mixed.orders());
        assertEquals(placed.lines(), mixed.lines());
    }

    @Test
    void reroutedUserEventsMakeTheSameSessionsAsThoseAlreadyOnTheirPartition() {
        Map<String, UserSession> placed = new TreeMap<>();
        double placedRerouted = sessions(1, placed);
        Map<String, UserSession> mixed = new TreeMap<>();
        double mixedRerouted = sessions(3, mixed);

        assertEquals(0.0, placedRerouted);
        long offHome = 0;
        for (int u = 1; u <= USERS; u++) {
            offHome += KeyPlacement.partitionOf("user-" + u, 3) != 0 ? 3 : 0;
        }
        assertTrue(offHome > 0 && offHome < 3 * USERS, "the users span every partition: " + offHome);
        assertEquals(offHome, mixedRerouted, "each event of a user homed off partition 0, rerouted once");
        assertEquals(USERS, placed.size(), "one session per user");
        placed.values().forEach(session -> assertEquals(3L, session.getEventCount(), session.getUserId()));
        assertEquals(placed, mixed);
    }

    /** Three events for each user, a minute apart; the latest gold record per session key into {@code gold}. */
    private static double sessions(int partitions, Map<String, UserSession> gold) {
        try (PipelineDriver pipeline = PipelineDriver.start(
                options -> options.topics.setPartitions(partitions))) {
            for (int minute = 0; minute < 3; minute++) {
                for (int u = 1; u <= USERS; u++) {
                    pipeline.userEvent(Rows.userEvent("user-" + u, "page_view", ORDERED.plusSeconds(60L * minute)));
                }
            }
            pipeline.read(pipeline.topics().getGoldUserSessions(), UserSession.class)
                    .forEach(out -> gold.put(out.key(), out.value()));
            gold.values().removeIf(Objects::isNull);
            return pipeline.metrics().sum(PipelineMetrics.REROUTED);
        }
    }

    private record Result(double rerouted, Map<String, EnrichedOrder> orders, Map<String, EnrichedOrderLine> lines) {
    }

    private static Result run(int partitions) {
        try (PipelineDriver pipeline = PipelineDriver.start(
                options -> options.topics.setPartitions(partitions))) {
            pipeline.rate(Rows.rate(1, "USD", "0.92", PipelineDriver.NOW.minus(Duration.ofDays(1))));
            pipeline.customer(Rows.customer(1));
            pipeline.product(Rows.product(7, "50.00", "USD"));
            for (long id = 1; id <= ORDERS; id++) {
                pipeline.item(Rows.item(id, 1, 7, 1, "50.00"));
                pipeline.order(Rows.order(id, 1, "USD", "100.00", ORDERED));
                pipeline.item(Rows.item(id, 2, 7, 1, "50.00"));
            }
            double rerouted = pipeline.metrics().sum(PipelineMetrics.REROUTED);
            // The generated source LSNs run on across both runs; everything else must be equal.
            return new Result(rerouted,
                    byKey(pipeline.read(pipeline.topics().getSilverOrders(), EnrichedOrder.class), Out::key,
                            order -> EnrichedOrder.newBuilder(order).setSourceLsn(null).build()),
                    byKey(pipeline.read(pipeline.topics().getSilverOrderLines(), EnrichedOrderLine.class),
                            out -> out.key() + "/" + out.value().getLineNo(),
                            line -> EnrichedOrderLine.newBuilder(line).setSourceLsn(null).build()));
        }
    }

    private static <V> Map<String, V> byKey(List<Out<String, V>> records, Function<Out<String, V>, String> key,
            UnaryOperator<V> withoutLsn) {
        Map<String, V> last = new TreeMap<>();
        for (Out<String, V> record : records) {
            assertTrue(last.put(key.apply(record), withoutLsn.apply(record.value())) == null,
                    "one record per key: " + key.apply(record));
        }
        return last;
    }
}
