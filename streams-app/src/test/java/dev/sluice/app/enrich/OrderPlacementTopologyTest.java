package dev.sluice.app.enrich;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.app.metrics.PipelineMetrics;
import dev.sluice.app.testing.Out;
import dev.sluice.app.testing.PipelineDriver;
import dev.sluice.app.testing.Rows;
import dev.sluice.embedded.EmbeddedPlatformExtension;
import dev.sluice.embedded.RegistryServer;
import dev.sluice.schemas.silver.EnrichedOrder;
import dev.sluice.schemas.silver.EnrichedOrderLine;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Order events that arrive on their order's partition go straight to the enricher; the others are rerouted there
 * first and counted. Either way the silver output is the same. (The test driver delivers every record on partition 0,
 * so with one partition every event is at home, and with three those of orders homed on 1 or 2 are rerouted.)
 */
@ExtendWith(EmbeddedPlatformExtension.class)
class OrderPlacementTopologyTest {

    private static final Instant ORDERED = PipelineDriver.NOW.minusSeconds(120);
    private static final int ORDERS = 30;

    @Test
    void reroutedOrderEventsAreEnrichedExactlyLikeThoseAlreadyOnTheirPartition(RegistryServer registry) {
        Result placed = run(registry, 1);
        Result mixed = run(registry, 3);

        assertEquals(0.0, placed.rerouted(), "with one partition every event is on its order's partition");
        long offHome = 0;
        for (long id = 1; id <= ORDERS; id++) {
            offHome += OrderPlacement.partitionOf(Long.toString(id), 3) != 0 ? 3 : 0;
        }
        assertTrue(offHome > 0 && offHome < 3 * ORDERS, "the ids span every partition: " + offHome);
        assertEquals(offHome, mixed.rerouted(), "each order and its two lines homed off partition 0, rerouted once");

        assertEquals(ORDERS, placed.orders().size());
        assertEquals(2 * ORDERS, placed.lines().size());
        assertEquals(placed.orders(), mixed.orders());
        assertEquals(placed.lines(), mixed.lines());
    }

    private record Result(double rerouted, Map<String, EnrichedOrder> orders, Map<String, EnrichedOrderLine> lines) {
    }

    private static Result run(RegistryServer registry, int partitions) {
        try (PipelineDriver pipeline = PipelineDriver.start(registry,
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
