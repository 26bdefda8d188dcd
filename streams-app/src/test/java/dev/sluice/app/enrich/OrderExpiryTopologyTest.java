package dev.sluice.app.enrich;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.LongStream;

import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.sluice.app.metrics.PipelineMetrics;
import dev.sluice.app.stores.StoreNames;
import dev.sluice.app.testing.PipelineDriver;
import dev.sluice.app.testing.Rows;
import dev.sluice.schemas.internal.Order;
import dev.sluice.schemas.silver.EnrichedOrderLine;

/**
 * The TTL of {@code enrich.orders} in the topology the app runs, on the driver's wall clock (the enricher's clock):
 * terminal orders go {@code terminal-order-ttl} after their last change, every order {@code order-max-age} after
 * it, each with its changelog tombstone; a later change stores the order again; one sweep looks at no more than its
 * budget.
 */
class OrderExpiryTopologyTest {

    private static final Duration TERMINAL_TTL = Duration.ofDays(7);
    private static final Duration MAX_AGE = Duration.ofDays(30);
    private static final Duration SWEEP = Duration.ofSeconds(1);
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Instant ORDERED = PipelineDriver.NOW.minusSeconds(120);

    private PipelineDriver pipeline;

    private void start(Consumer<EnrichSettings> enrich) {
        start(true, enrich);
    }

    private void start(boolean inMemory, Consumer<EnrichSettings> enrich) {
        pipeline = PipelineDriver.start(options -> {
            options.inMemoryStores = inMemory;
            options.enrich.setTerminalOrderTtl(TERMINAL_TTL);
            options.enrich.setOrderMaxAge(MAX_AGE);
            options.enrich.setOrderSweepInterval(SWEEP);
            enrich.accept(options.enrich);
        });
        pipeline.customer(Rows.customer(1));
        pipeline.product(Rows.product(7, "10.00", "EUR"));
    }

    @AfterEach
    void stop() {
        if (pipeline != null) {
            pipeline.close();
        }
    }

    @Test
    void aTerminalOrderGoesAfterItsTtlWithItsChangelogTombstoneAnOpenOneStays() {
        start(enrich -> { });
        pipeline.order(order(200, "DELIVERED"));
        pipeline.order(order(201, "NEW"));
        pipeline.order(order(202, "CANCELLED"));
        pipeline.changelog(StoreNames.ORDERS_STATE);

        pipeline.advanceWallClock(TERMINAL_TTL.minus(SWEEP));
        assertEquals(Set.of("200", "201", "202"), storedOrders(), "not due yet");
        assertEquals(List.of(), tombstones());

        pipeline.advanceWallClock(SWEEP);
        assertEquals(Set.of("201"), storedOrders());
        assertEquals(Set.of("200", "202"), new HashSet<>(tombstones()), "the changelog forgets them too");
        assertEquals(2.0, pipeline.metrics().count(PipelineMetrics.EXPIRED, "store", StoreNames.ORDERS_STATE));
    }

    @Test
    void theTtlHoldsInRocksDbAsInTheService() {
        pipeline = PipelineDriver.start(options -> {
            options.inMemoryStores = false;
            options.enrich.setTerminalOrderTtl(TERMINAL_TTL);
        });
        pipeline.order(order(230, "DELIVERED"));
        pipeline.order(order(231, "PAID"));
        pipeline.changelog(StoreNames.ORDERS_STATE);

        pipeline.advanceWallClock(TERMINAL_TTL);
        assertEquals(Set.of("231"), storedOrders());
        assertEquals(List.of("230"), tombstones());
    }

    @Test
    void anOpenOrderGoesAtTheMaxAgeCountedFromItsLastChange() {
        start(enrich -> { });
        Map<String, Object> row = order(210, "NEW");
        pipeline.order(row);
        pipeline.advanceWallClock(Duration.ofDays(10));
        row.put("status", "PAID");
        pipeline.order(Rows.updated(row));
        pipeline.changelog(StoreNames.ORDERS_STATE);

        pipeline.advanceWallClock(MAX_AGE.minus(SWEEP));
        assertEquals(Set.of("210"), storedOrders(), "40 days after it came, 30 days less a second after its change");

        pipeline.advanceWallClock(SWEEP);
        assertEquals(Set.of(), storedOrders());
        assertEquals(List.of("210"), tombstones());
    }

    @Test
    void aLineOfAnExpiredOrderIsFlaggedAndALaterChangeOfTheOrderStoresItAgain() {
        start(enrich -> { });
        Map<String, Object> row = order(220, "DELIVERED");
        pipeline.order(row);
        pipeline.advanceWallClock(TERMINAL_TTL);
        assertEquals(Set.of(), storedOrders());
        lines();

        pipeline.item(Rows.item(220, 1, 7, 1, "10.00"));
        pipeline.advanceWallClock(WAIT.plus(SWEEP));
        assertEquals(List.of(Flags.ORDER_MISSING), only(lines()).getFlags(), "as a line whose order never came");

        row.put("status", "REFUNDED");
        pipeline.order(Rows.updated(row));
        assertEquals(Set.of("220"), storedOrders(), "a change carries the whole row");
        pipeline.item(Rows.item(220, 2, 7, 1, "10.00"));
        assertEquals(List.of(), only(lines()).getFlags(), "joined with the order stored again");
        pipeline.advanceWallClock(TERMINAL_TTL.minus(SWEEP));
        assertEquals(Set.of("220"), storedOrders(), "its TTL counts from the new change");
    }

    @Test
    void oneSweepLooksAtNoMoreThanItsBudgetAndTheNextResumesWhereItStopped() {
        sweepsWithABudgetOfThree(true);
    }

    @Test
    void theBudgetedSweepResumesInRocksDbAsInMemory() {
        sweepsWithABudgetOfThree(false);
    }

    private void sweepsWithABudgetOfThree(boolean inMemory) {
        start(inMemory, enrich -> enrich.setOrderSweepBudget(3));
        LongStream.rangeClosed(301, 310).forEach(id -> pipeline.order(order(id, "CANCELLED")));
        pipeline.changelog(StoreNames.ORDERS_STATE);
        // A first sweep right away (nothing due) moves the position: the passes need not start at the first key.
        pipeline.advanceWallClock(SWEEP);
        assertEquals(List.of(), tombstones());
        pipeline.advanceWallClock(TERMINAL_TTL);

        List<Integer> perSweep = new ArrayList<>();
        Set<String> gone = new HashSet<>();
        for (int sweep = 0; sweep < 4; sweep++) {
            if (sweep > 0) {
                pipeline.advanceWallClock(SWEEP);
            }
            List<String> tombstones = tombstones();
            perSweep.add(tombstones.size());
            tombstones.forEach(key -> assertTrue(gone.add(key), "each order deleted once: " + key));
        }
        // Keys in order 301..310: the first sweep looked at 301-303, these at 304-306, 307-309, 310 (the end) and
        // 301-303 again.
        assertEquals(List.of(3, 3, 1, 3), perSweep, "at most 3 per sweep, resumed where the last one stopped");
        assertEquals(10, gone.size());
        assertEquals(Set.of(), storedOrders());
    }

    private static Map<String, Object> order(long id, String status) {
        Map<String, Object> row = Rows.order(id, 1, "EUR", "10.00", ORDERED);
        row.put("status", status);
        return row;
    }

    private Set<String> storedOrders() {
        KeyValueStore<String, ValueAndTimestamp<Order>> store = pipeline.driver()
                .getTimestampedKeyValueStore(StoreNames.ORDERS_STATE);
        Set<String> keys = new HashSet<>();
        try (var all = store.all()) {
            all.forEachRemaining(entry -> {
                assertNotNull(entry.value.value());
                keys.add(entry.key);
            });
        }
        return keys;
    }

    /** The keys of the tombstones the changelog received since the last drain. */
    private List<String> tombstones() {
        return pipeline.changelog(StoreNames.ORDERS_STATE).stream().filter(r -> r.value() == null)
                .map(TestRecord::key).toList();
    }

    private List<EnrichedOrderLine> lines() {
        return pipeline.read(pipeline.topics().getSilverOrderLines(), EnrichedOrderLine.class).stream()
                .map(out -> out.value()).toList();
    }

    private static <T> T only(List<T> list) {
        assertEquals(1, list.size(), "exactly one record: " + list);
        return list.get(0);
    }
}
