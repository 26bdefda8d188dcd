package dev.sluice.app.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.SessionStore;
import org.apache.kafka.streams.state.WindowStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.sluice.app.dlq.DeadLetterHeaders;
import dev.sluice.app.failure.ErrorCode;
import dev.sluice.app.failure.Stage;
import dev.sluice.app.silver.Lineage;
import dev.sluice.app.stores.StoreNames;
import dev.sluice.app.testing.Out;
import dev.sluice.app.testing.PipelineDriver;
import dev.sluice.app.testing.Rows;
import dev.sluice.schemas.gold.CustomerTotals;
import dev.sluice.schemas.gold.ProductRevenueHourly;
import dev.sluice.schemas.gold.RegionRevenueDaily;
import dev.sluice.schemas.gold.UserSession;
import dev.sluice.schemas.silver.CleanUserEvent;
import dev.sluice.schemas.silver.EnrichedOrderLine;

/**
 * The gold aggregates: window boundaries, the grace period and the late-event topic (checked against Kafka
 * Streams' own dropped-records count, which must stay 0), duplicates, sessions, and the published stores.
 */
class AggregationTopologyTest {

    private static final Instant NINE = Instant.parse("2026-11-22T09:00:00Z");

    private PipelineDriver pipeline;
    private long nextOrder = 1000;

    @BeforeEach
    void start() {
        pipeline = PipelineDriver.start();
        pipeline.product(Rows.product(7, "10.00", "EUR"));
        pipeline.product(Rows.product(8, "20.00", "EUR"));
        pipeline.customer(Rows.customer(1));
        Map<String, Object> apac = Rows.customer(2);
        apac.put("region", "APAC");
        pipeline.customer(apac);
    }

    @AfterEach
    void stop() {
        pipeline.close();
    }

    @Test
    void hourlyWindowsSplitExactlyOnTheHour() {
        sale(1, 7, 1, "10.00", NINE.minusMillis(1));
        sale(1, 7, 2, "10.00", NINE);

        Map<String, ProductRevenueHourly> gold = latest(pipeline.read(
                pipeline.topics().getGoldProductRevenueHourly(), ProductRevenueHourly.class));
        assertEquals(new BigDecimal("10.00"), gold.get("7@2026-11-22T08:00:00Z").getRevenue());
        assertEquals(new BigDecimal("20.00"), gold.get("7@2026-11-22T09:00:00Z").getRevenue());
        assertEquals(2L, gold.get("7@2026-11-22T09:00:00Z").getQuantity());
        WindowStore<Long, ProductRevenueHourly> store = pipeline.driver().getWindowStore(
                StoreNames.PRODUCT_REVENUE_HOURLY);
        ProductRevenueHourly eight = store.fetch(7L, NINE.minus(Duration.ofHours(1)).toEpochMilli());
        assertEquals(1L, eight.getLineCount());
        assertEquals(NINE, eight.getWindowEnd());
        assertEquals("Espresso machine 7", eight.getProductName());
    }

    @Test
    void anEventWithinTheGraceIsCountedOneBeyondItGoesToTheLateTopic() {
        // Grace is 10 minutes: the 08:00 window takes events until stream time reaches 09:10.
        sale(1, 7, 1, "10.00", Instant.parse("2026-11-22T09:09:59.999Z"));
        sale(1, 7, 1, "10.00", Instant.parse("2026-11-22T08:59:00Z"));
        sale(1, 8, 1, "20.00", Instant.parse("2026-11-22T09:10:00Z"));
        long lateOrder = sale(1, 7, 1, "10.00", Instant.parse("2026-11-22T08:59:30Z"));

        WindowStore<Long, ProductRevenueHourly> store = pipeline.driver().getWindowStore(
                StoreNames.PRODUCT_REVENUE_HOURLY);
        assertEquals(1L, store.fetch(7L, Instant.parse("2026-11-22T08:00:00Z").toEpochMilli()).getLineCount(),
                "on time within the grace, then late");
        List<Out<byte[], byte[]>> late = pipeline.deadLetters(Stage.LATE);
        assertEquals(1, late.size());
        Out<byte[], byte[]> letter = late.get(0);
        assertEquals(ErrorCode.LATE_EVENT.name(), letter.header(DeadLetterHeaders.ERROR_CODE));
        assertEquals(lateOrder + ":1", new String(letter.key()));
        EnrichedOrderLine line = pipeline.decode(EnrichedOrderLine.class, letter.value());
        assertEquals(lateOrder, line.getOrderId(), "the late record is the silver line, readable with its schema");
        assertEquals(0.0, droppedByKafkaStreams(), "the gate leaves nothing for the aggregation to drop");
    }

    @Test
    void dailyRegionRevenueAndCustomerTotalsCountTheSameOrders() {
        Instant yesterday = Instant.parse("2026-11-21T22:00:00Z");
        sale(1, 7, 3, "10.00", yesterday);
        sale(2, 8, 1, "20.00", yesterday.plusSeconds(60));
        sale(1, 8, 2, "20.00", NINE);
        sale(2, 7, 1, "10.00", NINE.plusSeconds(60));
        // Stream time is now 09:01; yesterday's window closed at 01:00 (grace 1h): this order is late.
        long lateOrder = sale(1, 7, 5, "10.00", yesterday.plusSeconds(120));

        Map<String, RegionRevenueDaily> regions = latest(pipeline.read(pipeline.topics().getGoldRegionRevenueDaily(),
                RegionRevenueDaily.class));
        assertEquals(new BigDecimal("30.00"), regions.get("EMEA@2026-11-21T00:00:00Z").getRevenue());
        assertEquals(new BigDecimal("20.00"), regions.get("APAC@2026-11-21T00:00:00Z").getRevenue());
        assertEquals(new BigDecimal("40.00"), regions.get("EMEA@2026-11-22T00:00:00Z").getRevenue());
        assertEquals(1L, regions.get("APAC@2026-11-22T00:00:00Z").getOrderCount());
        Map<String, CustomerTotals> customers = latest(pipeline.read(pipeline.topics().getGoldCustomerTotals(),
                CustomerTotals.class));
        assertEquals(new BigDecimal("70.00"), customers.get("1").getRevenue());
        assertEquals(2L, customers.get("1").getOrderCount(), "the late order is in neither aggregate");
        assertEquals(Instant.parse("2026-11-21T22:00:00Z"), customers.get("1").getFirstOrderAt());
        assertEquals(NINE, customers.get("1").getLastOrderAt());
        BigDecimal byRegion = regions.values().stream().map(RegionRevenueDaily::getRevenue)
                .reduce(BigDecimal.ZERO, BigDecimal::add);
        BigDecimal byCustomer = customers.values().stream().map(CustomerTotals::getRevenue)
                .reduce(BigDecimal.ZERO, BigDecimal::add);
        assertEquals(byRegion, byCustomer);
        List<String> late = pipeline.deadLetters(Stage.LATE).stream().map(o -> new String(o.key())).sorted().toList();
        assertEquals(List.of(lateOrder + "", lateOrder + ":1"), late, "the order late for its day, its line for its hour");
        KeyValueStore<Long, CustomerTotals> totals = pipeline.driver().getKeyValueStore(StoreNames.CUSTOMER_TOTALS);
        assertEquals(new BigDecimal("30.00"), totals.get(2L).getRevenue());
        WindowStore<String, RegionRevenueDaily> daily = pipeline.driver().getWindowStore(
                StoreNames.REGION_REVENUE_DAILY);
        assertEquals(1L, daily.fetch("EMEA", Instant.parse("2026-11-21T00:00:00Z").toEpochMilli()).getOrderCount(),
                "the store answers what gold says");
    }

    @Test
    void aReplayedLineNeverCountsTwiceAndUpdatesDoNotCountAgain() {
        long order = sale(1, 7, 1, "10.00", NINE);
        Map<String, Object> snapshot = Rows.item(order, 1, 7, 1, "10.00");
        snapshot.put("__op", "r");
        pipeline.item(snapshot);
        pipeline.item(Rows.updated(Rows.item(order, 1, 7, 4, "10.00")));

        List<Out<String, EnrichedOrderLine>> silver = pipeline.read(pipeline.topics().getSilverOrderLines(),
                EnrichedOrderLine.class);
        assertEquals(3, silver.size(), "silver has every change: create, snapshot read, update");
        List<Out<byte[], byte[]>> replays = pipeline.deadLetters(Stage.DEDUPE);
        assertEquals(1, replays.size(), "the snapshot read of a counted line is a replay for gold");
        Out<byte[], byte[]> replay = replays.get(0);
        assertEquals(order + ":1", new String(replay.key()));
        Out<String, EnrichedOrderLine> silverSnapshot = silver.get(1);
        EnrichedOrderLine replayed = pipeline.decode(EnrichedOrderLine.class, replay.value());
        assertEquals(silverSnapshot.value(), replayed, "the dead letter holds the silver record gold turned away");
        assertEquals("r", replayed.getOp());
        assertEquals(pipeline.topics().getSilverOrderLines(), replay.header(DeadLetterHeaders.SOURCE_TOPIC),
                "gold took it in memory on its way to silver");
        assertEquals("-1", replay.header(DeadLetterHeaders.SOURCE_OFFSET));
        assertEquals(new String(silverSnapshot.headers().lastHeader(Lineage.SOURCE).value()),
                replay.header(Lineage.SOURCE), "traceable to its bronze record");
        WindowStore<Long, ProductRevenueHourly> store = pipeline.driver().getWindowStore(
                StoreNames.PRODUCT_REVENUE_HOURLY);
        ProductRevenueHourly hour = store.fetch(7L, NINE.toEpochMilli());
        assertEquals(1L, hour.getLineCount());
        assertEquals(new BigDecimal("10.00"), hour.getRevenue());
    }

    @Test
    void sessionsSplitOnTheGapMergeWhenBridgedAndTurnAwayLateEvents() {
        event("user-1", "page_view", NINE);
        event("user-1", "add_to_cart", NINE.plus(Duration.ofMinutes(35)));
        // 09:28 bridges both sessions (gap 30 min) and is on time (stream time 09:35, grace 10 min).
        event("user-1", "checkout", NINE.plus(Duration.ofMinutes(28)));
        event("user-2", "search", NINE.plus(Duration.ofMinutes(55)));
        // Stream time 09:55: an event at 09:40 is older than stream time minus grace.
        event("user-1", "page_view", NINE.plus(Duration.ofMinutes(40)));

        List<Out<String, UserSession>> gold = pipeline.read(pipeline.topics().getGoldUserSessions(), UserSession.class);
        Map<String, UserSession> sessions = latest(gold);
        UserSession merged = sessions.get("user-1@2026-11-22T09:00:00Z");
        assertEquals(3L, merged.getEventCount());
        assertEquals(NINE.plus(Duration.ofMinutes(35)), merged.getSessionEnd());
        assertEquals(1L, merged.getCheckouts());
        assertNull(sessions.get("user-1@2026-11-22T09:35:00Z"), "the merged-away session is retracted");
        assertTrue(gold.stream().anyMatch(o -> o.key().equals("user-1@2026-11-22T09:35:00Z") && o.value() == null));
        List<Out<byte[], byte[]>> late = pipeline.deadLetters(Stage.LATE);
        assertEquals(1, late.size());
        Out<String, CleanUserEvent> lateSilver = pipeline.read(pipeline.topics().getSilverUserEvents(),
                CleanUserEvent.class).stream().filter(o -> o.value().getOccurredAt()
                        .equals(NINE.plus(Duration.ofMinutes(40)))).findFirst().orElseThrow();
        CleanUserEvent lateEvent = pipeline.decode(CleanUserEvent.class, late.get(0).value());
        assertEquals(lateSilver.value(), lateEvent, "the dead letter holds the silver event the sessions turned away");
        assertEquals("user-1", new String(late.get(0).key(), StandardCharsets.UTF_8));
        assertEquals(pipeline.topics().getSilverUserEvents(), late.get(0).header(DeadLetterHeaders.SOURCE_TOPIC),
                "the sessions took it in memory on its way to silver");
        assertEquals("-1", late.get(0).header(DeadLetterHeaders.SOURCE_PARTITION));
        assertEquals("-1", late.get(0).header(DeadLetterHeaders.SOURCE_OFFSET));
        assertEquals(new String(lateSilver.headers().lastHeader(Lineage.SOURCE).value()),
                late.get(0).header(Lineage.SOURCE), "traceable to its bronze record");
        // The sessions store is keyed by the user id's UTF-8 bytes.
        SessionStore<byte[], UserSession> store = pipeline.driver().getSessionStore(StoreNames.USER_SESSIONS);
        List<UserSession> user1 = new ArrayList<>();
        try (KeyValueIterator<Windowed<byte[]>, UserSession> it = store.fetch("user-1".getBytes(StandardCharsets.UTF_8))) {
            it.forEachRemaining(kv -> user1.add(kv.value));
        }
        assertEquals(1, user1.size());
        assertEquals(0.0, droppedByKafkaStreams());
    }

    @ParameterizedTest(name = "in-memory stores: {0}")
    @ValueSource(booleans = {true, false})
    void aSessionExtendedByLaterEventsIsUpdatedInPlaceWithoutRetractions(boolean inMemory) {
        // With the stores' cache, as in the service: a change is forwarded at the commit, once it is complete.
        pipeline.close();
        pipeline = PipelineDriver.start(options -> {
            options.cacheMaxBytes = 10 * 1024 * 1024;
            options.inMemoryStores = inMemory;
        });
        event("user-3", "page_view", NINE);
        event("user-3", "search", NINE.plus(Duration.ofMinutes(4)));
        event("user-3", "page_view", NINE.minus(Duration.ofMinutes(4)));
        event("user-3", "checkout", NINE.plus(Duration.ofMinutes(10)));

        List<Out<String, UserSession>> gold = pipeline.read(pipeline.topics().getGoldUserSessions(), UserSession.class);
        assertEquals(List.of("user-3@2026-11-22T09:00:00Z", "user-3@2026-11-22T09:00:00Z",
                "user-3@2026-11-22T09:00:00Z", "user-3@2026-11-22T08:56:00Z", "user-3@2026-11-22T08:56:00Z"),
                gold.stream().map(Out::key).toList());
        assertEquals(Arrays.asList(1L, 2L, null, 3L, 4L), gold.stream()
                        .map(o -> o.value() == null ? null : o.value().getEventCount()).toList(),
                "an extension replaces the session under its key without retracting the shorter one; a session that "
                        + "now starts earlier retracts the old key");
    }

    /** An order of one line; returns the order id. */
    private long sale(long customer, long product, int quantity, String unitPrice, Instant at) {
        long order = nextOrder++;
        BigDecimal total = new BigDecimal(unitPrice).multiply(BigDecimal.valueOf(quantity));
        pipeline.order(Rows.order(order, customer, "EUR", total.toPlainString(), at));
        pipeline.item(Rows.item(order, 1, product, quantity, unitPrice));
        return order;
    }

    private void event(String user, String type, Instant at) {
        pipeline.userEvent(Rows.userEvent(user, type, at));
    }

    private static <V> Map<String, V> latest(List<Out<String, V>> records) {
        Map<String, V> latest = new HashMap<>();
        records.forEach(r -> latest.put(r.key(), r.value()));
        return latest;
    }

    /** Kafka Streams' count of records its operators skipped (e.g. too late for a window). */
    private double droppedByKafkaStreams() {
        double dropped = 0;
        int found = 0;
        for (Map.Entry<MetricName, ? extends Metric> metric : pipeline.driver().metrics().entrySet()) {
            if (metric.getKey().name().equals("dropped-records-total")) {
                dropped += ((Number) metric.getValue().metricValue()).doubleValue();
                found++;
            }
        }
        assertTrue(found > 0, "Kafka Streams reports dropped records");
        return dropped;
    }
}
