package dev.sluice.app.freshness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

import dev.sluice.app.silver.Lineage;
import dev.sluice.app.testing.BronzeSchemas;
import dev.sluice.app.testing.Out;
import dev.sluice.app.testing.PipelineDriver;
import dev.sluice.app.testing.Rows;
import dev.sluice.schemas.gold.CustomerTotals;
import dev.sluice.schemas.gold.ProductRevenueHourly;
import dev.sluice.schemas.gold.UserSession;
import dev.sluice.schemas.silver.CleanUserEvent;
import dev.sluice.schemas.silver.Customer;
import dev.sluice.schemas.silver.EnrichedOrder;
import dev.sluice.schemas.silver.EnrichedOrderLine;
import io.micrometer.core.instrument.Timer;

/**
 * Freshness through the topology the app runs: the source time of each bronze entity, carried as a header to silver
 * and gold, and the latency each layer records, against the driver's wall clock.
 */
class FreshnessTopologyTest {

    private static final Instant NOW = PipelineDriver.NOW;

    @Test
    void anOrderIsMeasuredFromItsCommitAtBronzeSilverAndGold() {
        try (PipelineDriver pipeline = PipelineDriver.start()) {
            pipeline.customer(Rows.customer(1));
            pipeline.product(Rows.product(7, "249.00", "EUR"));
            Map<String, Object> order = Rows.order(100, 1, "EUR", "498.00", NOW.minusSeconds(60));
            order.put("__source_ts_ms", NOW.minusSeconds(30).toEpochMilli());
            // Appended to bronze 20 s after the commit, read by the app 10 s later (the driver's clock is at NOW).
            String topic = pipeline.topics().getOrders();
            pipeline.send(topic, pipeline.bronze().key(topic, BronzeSchemas.ORDER_KEY, 100L),
                    pipeline.bronze().value(topic, BronzeSchemas.ORDER, order), new RecordHeaders(),
                    NOW.minusSeconds(10));
            Map<String, Object> item = Rows.item(100, 1, 7, 2, "249.00");
            item.put("__source_ts_ms", NOW.minusSeconds(12).toEpochMilli());
            pipeline.item(item);

            List<Out<String, EnrichedOrder>> orders = pipeline.read(pipeline.topics().getSilverOrders(),
                    EnrichedOrder.class);
            assertEquals(1, orders.size());
            assertEquals(sourceTs(NOW.minusSeconds(30)), orders.get(0).header(SourceTimeHeader.NAME));
            assertNotNull(orders.get(0).header(Lineage.SOURCE), "the lineage headers stay");
            List<Out<String, EnrichedOrderLine>> lines = pipeline.read(pipeline.topics().getSilverOrderLines(),
                    EnrichedOrderLine.class);
            assertEquals(1, lines.size());
            assertEquals(sourceTs(NOW.minusSeconds(12)), lines.get(0).header(SourceTimeHeader.NAME));
            List<Out<String, ProductRevenueHourly>> hours = pipeline.read(
                    pipeline.topics().getGoldProductRevenueHourly(), ProductRevenueHourly.class);
            assertFalse(hours.isEmpty());
            assertEquals(sourceTs(NOW.minusSeconds(12)), last(hours).header(SourceTimeHeader.NAME),
                    "a gold record carries the source time of the input that updated it");
            assertEquals(pipeline.topics().getSilverOrderLines(), last(hours).header(Lineage.SOURCE));
            List<Out<String, CustomerTotals>> totals = pipeline.read(pipeline.topics().getGoldCustomerTotals(),
                    CustomerTotals.class);
            assertEquals(sourceTs(NOW.minusSeconds(30)), last(totals).header(SourceTimeHeader.NAME));

            FreshnessMetrics freshness = pipeline.metrics().freshness();
            assertMeasured(freshness, Layer.BRONZE, "orders", 1, 20);
            assertMeasured(freshness, Layer.BRONZE, "order_items", 1, 12);
            // The default customer and product rows were committed 1 s before NOW.
            assertMeasured(freshness, Layer.BRONZE, "customers", 1, 1);
            assertMeasured(freshness, Layer.SILVER, "customers", 1, 1);
            assertMeasured(freshness, Layer.SILVER, "orders", 1, 30);
            assertMeasured(freshness, Layer.SILVER, "order_lines", 1, 12);
            assertMeasured(freshness, Layer.GOLD, "product_revenue_hourly", hours.size(), 12);
            assertMeasured(freshness, Layer.GOLD, "customer_totals", totals.size(), 30);
            assertMeasured(freshness, Layer.GOLD, "region_revenue_daily", 1, 30);
        }
    }

    @Test
    void aUserEventIsMeasuredFromItsEventTimeAgainstTheMovedWallClock() {
        try (PipelineDriver pipeline = PipelineDriver.start()) {
            pipeline.advanceWallClock(Duration.ofMinutes(2));
            Instant occurred = NOW.minusSeconds(45);
            String topic = pipeline.topics().getUserEvents();
            // Produced a minute after it happened, read and written at NOW + 2 min.
            pipeline.send(topic, "u-1".getBytes(), pipeline.bronze().value(topic, BronzeSchemas.USER_EVENT,
                    Rows.userEvent("u-1", "page_view", occurred)), new RecordHeaders(), NOW.plusSeconds(15));

            List<Out<String, CleanUserEvent>> events = pipeline.read(pipeline.topics().getSilverUserEvents(),
                    CleanUserEvent.class);
            assertEquals(1, events.size());
            assertEquals(sourceTs(occurred), events.get(0).header(SourceTimeHeader.NAME));
            List<Out<String, UserSession>> sessions = pipeline.read(pipeline.topics().getGoldUserSessions(),
                    UserSession.class);
            // Session aggregation drops its input's headers: the session end, its newest event's time, stands in.
            assertEquals(sourceTs(occurred), last(sessions).header(SourceTimeHeader.NAME));

            FreshnessMetrics freshness = pipeline.metrics().freshness();
            assertMeasured(freshness, Layer.BRONZE, "user_events", 1, 60);
            assertMeasured(freshness, Layer.SILVER, "user_events", 1, 165);
            assertMeasured(freshness, Layer.GOLD, "user_sessions", sessions.size(), 165);
        }
    }

    @Test
    void aTombstoneHasNoSourceTimeAndIsNotMeasured() {
        try (PipelineDriver pipeline = PipelineDriver.start()) {
            pipeline.customer(Rows.customer(1));
            pipeline.tombstone(pipeline.topics().getCustomers(), BronzeSchemas.CUSTOMER_KEY, 1L);

            List<Out<String, Customer>> customers = pipeline.read(pipeline.topics().getSilverCustomers(),
                    Customer.class);
            assertEquals(2, customers.size());
            assertNull(customers.get(1).value());
            assertNull(customers.get(1).header(SourceTimeHeader.NAME));
            assertMeasured(pipeline.metrics().freshness(), Layer.BRONZE, "customers", 1, 1);
            assertMeasured(pipeline.metrics().freshness(), Layer.SILVER, "customers", 1, 1);
        }
    }

    /** {@code count} measurements of {@code dataset} at {@code layer}, each {@code seconds} long. */
    private static void assertMeasured(FreshnessMetrics freshness, Layer layer, String dataset, long count,
            double seconds) {
        Timer timer = freshness.timer(layer, dataset);
        assertNotNull(timer, layer.id() + " " + dataset + " measured");
        assertEquals(count, timer.count(), layer.id() + " " + dataset + " count");
        assertEquals(count * seconds, timer.totalTime(TimeUnit.SECONDS), 0.001, layer.id() + " " + dataset + " sum");
        assertEquals(seconds, timer.max(TimeUnit.SECONDS), 0.001, layer.id() + " " + dataset + " max");
    }

    private static String sourceTs(Instant time) {
        return Long.toString(time.toEpochMilli());
    }

    private static <T> T last(List<T> list) {
        assertFalse(list.isEmpty());
        return list.get(list.size() - 1);
    }
}
