package dev.sluice.app.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Function;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.SessionWindows;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlySessionStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.sluice.app.aggregate.AggregateSettings;
import dev.sluice.app.serde.InternalSerde;
import dev.sluice.schemas.gold.CustomerTotals;
import dev.sluice.schemas.gold.ProductRevenueHourly;
import dev.sluice.schemas.gold.RegionRevenueDaily;
import dev.sluice.schemas.gold.UserSession;

/**
 * Reads of the gold stores, on the persistent (RocksDB) stores the service runs with: key lookups, half-open time
 * ranges, pages in key then time order that a cursor walks without loss or repetition, open key ranges returning
 * each entry once, and the top products of an hour.
 */
class StoreReadsTest {

    private static final long HOUR = AggregateSettings.HOUR.toMillis();
    private static final long DAY = AggregateSettings.DAY.toMillis();
    private static final long T0 = Instant.parse("2026-11-20T00:00:00Z").toEpochMilli();

    private TopologyTestDriver driver;
    private TestInputTopic<Long, CustomerTotals> customers;
    private TestInputTopic<Long, ProductRevenueHourly> productHours;
    private TestInputTopic<String, RegionRevenueDaily> regionDays;
    private TestInputTopic<String, UserSession> events;

    @BeforeEach
    void start() throws Exception {
        StreamsBuilder builder = new StreamsBuilder();
        builder.table("customers", Consumed.with(Serdes.Long(), InternalSerde.of(CustomerTotals.class)),
                Materialized.<Long, CustomerTotals>as(Stores.persistentTimestampedKeyValueStore("c"))
                        .withKeySerde(Serdes.Long()).withValueSerde(InternalSerde.of(CustomerTotals.class)));
        builder.stream("products", Consumed.with(Serdes.Long(), InternalSerde.of(ProductRevenueHourly.class)))
                .groupByKey(Grouped.with(Serdes.Long(), InternalSerde.of(ProductRevenueHourly.class)))
                .windowedBy(TimeWindows.ofSizeAndGrace(AggregateSettings.HOUR, Duration.ofDays(2)))
                .reduce((a, b) -> b, Materialized.<Long, ProductRevenueHourly>as(
                        Stores.persistentTimestampedWindowStore("p", Duration.ofDays(7), AggregateSettings.HOUR, false))
                        .withKeySerde(Serdes.Long()).withValueSerde(InternalSerde.of(ProductRevenueHourly.class)));
        builder.stream("regions", Consumed.with(Serdes.String(), InternalSerde.of(RegionRevenueDaily.class)))
                .groupByKey(Grouped.with(Serdes.String(), InternalSerde.of(RegionRevenueDaily.class)))
                .windowedBy(TimeWindows.ofSizeAndGrace(AggregateSettings.DAY, Duration.ofDays(2)))
                .reduce((a, b) -> b, Materialized.<String, RegionRevenueDaily>as(
                        Stores.persistentTimestampedWindowStore("r", Duration.ofDays(7), AggregateSettings.DAY, false))
                        .withKeySerde(Serdes.String()).withValueSerde(InternalSerde.of(RegionRevenueDaily.class)));
        // Keyed by the user id's UTF-8 bytes, as the topology's sessions store is (written here as String keys).
        builder.stream("events", Consumed.with(Serdes.ByteArray(), InternalSerde.of(UserSession.class)))
                .groupByKey(Grouped.with(Serdes.ByteArray(), InternalSerde.of(UserSession.class)))
                .windowedBy(SessionWindows.ofInactivityGapAndGrace(Duration.ofMinutes(30), Duration.ofDays(2)))
                .reduce(StoreReadsTest::merge, Materialized.<byte[], UserSession>as(
                        Stores.persistentSessionStore("s", Duration.ofDays(7)))
                        .withKeySerde(Serdes.ByteArray()).withValueSerde(InternalSerde.of(UserSession.class)));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "store-reads-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1");
        props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("store-reads-test").toString());
        driver = new TopologyTestDriver(builder.build(), props);
        customers = driver.createInputTopic("customers", Serdes.Long().serializer(),
                InternalSerde.of(CustomerTotals.class).serializer());
        productHours = driver.createInputTopic("products", Serdes.Long().serializer(),
                InternalSerde.of(ProductRevenueHourly.class).serializer());
        regionDays = driver.createInputTopic("regions", Serdes.String().serializer(),
                InternalSerde.of(RegionRevenueDaily.class).serializer());
        events = driver.createInputTopic("events", Serdes.String().serializer(),
                InternalSerde.of(UserSession.class).serializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    @Test
    void customerTotalsByKeyAndByPagedKeyRange() {
        for (long id = 1; id <= 25; id++) {
            customers.pipeInput(id, customer(id, "10.50", id), T0);
        }
        ReadOnlyKeyValueStore<Long, CustomerTotals> store = driver.getKeyValueStore("c");
        CustomerTotalsView seven = StoreReads.customer(store, 7);
        assertEquals(new CustomerTotalsView(7, "EUR", "10.50", 7, 0, "2026-11-20T00:00:00Z",
                "2026-11-20T01:00:00Z"), seven);
        assertEquals(null, StoreReads.customer(store, 99));

        List<Long> ids = walk(after -> StoreReads.customers(store, new KeyRange(null, null), after, 10),
                StoreReads::cursorOf).stream().map(CustomerTotalsView::customerId).toList();
        assertEquals(range(1, 25), ids, "every customer once, in order, over three pages");
        assertEquals(List.of(5L, 6L, 7L, 8L), StoreReads.customers(store, KeyRange.parse("5", "8", KeyType.LONG),
                null, 100).stream().map(CustomerTotalsView::customerId).toList());
        assertTrue(StoreReads.customers(store, KeyRange.parse("5", "8", KeyType.LONG), new Cursor(8L, 0), 100)
                .isEmpty(), "a cursor at the end of the range");
    }

    @Test
    void productHoursOverHalfOpenRanges() {
        for (int h = 0; h < 3; h++) {
            productHours.pipeInput(1L, productHour(1, T0 + h * HOUR, "1" + h + ".00"), T0 + h * HOUR + 60_000);
        }
        ReadOnlyWindowStore<Long, ProductRevenueHourly> store = driver.getWindowStore("p");
        assertEquals(List.of("2026-11-20T00:00:00Z", "2026-11-20T01:00:00Z", "2026-11-20T02:00:00Z"),
                StoreReads.productHours(store, 1, TimeRange.ALL).stream().map(ProductHourView::windowStart).toList());
        List<ProductHourView> second = StoreReads.productHours(store, 1, new TimeRange(T0 + HOUR, T0 + 2 * HOUR));
        assertEquals(1, second.size(), "[from, to): the hour starting at to is out");
        assertEquals(new ProductHourView(1, "Product 1", "2026-11-20T01:00:00Z", "2026-11-20T02:00:00Z", "EUR",
                "11.00", 2, 1, 0), second.get(0));
        assertTrue(StoreReads.productHours(store, 2, TimeRange.ALL).isEmpty());
    }

    @Test
    void openKeyRangesReturnEveryWindowOnceAndCursorsWalkThemInOrder() {
        List<String> expected = new ArrayList<>();
        for (long product = 1; product <= 5; product++) {
            for (int h = 0; h < 4; h++) {
                productHours.pipeInput(product, productHour(product, T0 + h * HOUR, product + "." + h + "0"),
                        T0 + h * HOUR);
                expected.add(product + "@" + GoldViews.time(T0 + h * HOUR));
            }
        }
        ReadOnlyWindowStore<Long, ProductRevenueHourly> store = driver.getWindowStore("p");
        List<ProductHourView> all = StoreReads.productHourPage(store, new KeyRange(null, null), TimeRange.ALL, null,
                1000);
        assertEquals(expected, all.stream().map(v -> v.productId() + "@" + v.windowStart()).toList(),
                "each window once, by product then hour");
        List<ProductHourView> walked = walk(after -> StoreReads.productHourPage(store, new KeyRange(null, null),
                TimeRange.ALL, after, 3), StoreReads::cursorOf);
        assertEquals(all, walked, "pages of 3 cut inside a product's hours and resume after the cursor");
        assertEquals(8, StoreReads.productHourPage(store, new KeyRange(null, 2L), TimeRange.ALL, null, 1000).size());
        assertEquals(12, StoreReads.productHourPage(store, new KeyRange(3L, null), TimeRange.ALL, null, 1000).size());
        assertEquals(List.of("2@2026-11-20T01:00:00Z", "3@2026-11-20T01:00:00Z"), StoreReads.productHourPage(store,
                new KeyRange(2L, 3L), new TimeRange(T0 + HOUR, T0 + 2 * HOUR), null, 1000).stream()
                .map(v -> v.productId() + "@" + v.windowStart()).toList());
    }

    @Test
    void topProductsOfAnHourByRevenueThenId() {
        String[] revenue = {"5.00", "30.00", "12.00", "30.00", "1.00"};
        for (int i = 0; i < revenue.length; i++) {
            productHours.pipeInput((long) i + 1, productHour(i + 1, T0, revenue[i]), T0 + 1000);
        }
        productHours.pipeInput(9L, productHour(9, T0 + HOUR, "99.00"), T0 + HOUR);
        ReadOnlyWindowStore<Long, ProductRevenueHourly> store = driver.getWindowStore("p");
        assertEquals(List.of(2L, 4L, 3L), StoreReads.topProducts(store, T0, 3).stream()
                .map(ProductHourView::productId).toList(), "ties by product id; another hour's product not in");
    }

    @Test
    void regionDaysInTheStoresKeyOrder() {
        for (String region : List.of("EMEA", "UNKNOWN", "AMER", "APAC")) {
            for (int d = 0; d < 2; d++) {
                regionDays.pipeInput(region, regionDay(region, T0 + d * DAY, "100.00"), T0 + d * DAY);
            }
        }
        ReadOnlyWindowStore<String, RegionRevenueDaily> store = driver.getWindowStore("r");
        List<RegionDayView> emea = StoreReads.regionDays(store, "EMEA", TimeRange.ALL);
        assertEquals(2, emea.size());
        assertEquals(new RegionDayView("EMEA", "2026-11-21T00:00:00Z", "2026-11-22T00:00:00Z", "EUR", "100.00", 4, 1),
                emea.get(1));
        List<RegionDayView> walked = walk(after -> StoreReads.regionDayPage(store, new KeyRange(null, null),
                TimeRange.ALL, after, 3), StoreReads::cursorOf);
        assertEquals(List.of("AMER", "AMER", "APAC", "APAC", "EMEA", "EMEA", "UNKNOWN", "UNKNOWN"),
                walked.stream().map(RegionDayView::region).toList());
    }

    @Test
    void sessionsOverlappingARange() {
        events.pipeInput("u1", session("u1", 1), T0);
        events.pipeInput("u1", session("u1", 1), T0 + 10 * 60_000);
        events.pipeInput("u1", session("u1", 1), T0 + 2 * HOUR);
        events.pipeInput("u2", session("u2", 1), T0 + HOUR);
        ReadOnlySessionStore<byte[], UserSession> store = driver.getSessionStore("s");
        List<SessionView> u1 = StoreReads.sessions(store, "u1", TimeRange.ALL);
        assertEquals(2, u1.size(), "two sessions: 10 minutes apart merge, 2 hours apart do not");
        assertEquals(new SessionView("u1", "2026-11-20T00:00:00Z", "2026-11-20T00:10:00Z", 2, 2, 0, 0, 0, 0),
                u1.get(0));
        assertEquals(1, StoreReads.sessions(store, "u1", new TimeRange(T0 + 5 * 60_000, T0 + HOUR)).size(),
                "a session that ends inside the range overlaps it");
        assertEquals(List.of("u1@2026-11-20T00:00:00Z", "u1@2026-11-20T02:00:00Z", "u2@2026-11-20T01:00:00Z"),
                walk(after -> StoreReads.sessionPage(store, new KeyRange(null, null), TimeRange.ALL, after, 2),
                        StoreReads::cursorOf).stream().map(s -> s.userId() + "@" + s.sessionStart()).toList());
    }

    /** Every item of a paged read, following its cursor from page to page (through its text form). */
    private static <T> List<T> walk(Function<Cursor, List<T>> page, Function<T, Cursor> cursorOf) {
        List<T> all = new ArrayList<>();
        Cursor after = null;
        for (int pages = 0; pages < 100; pages++) {
            List<T> items = page.apply(after);
            if (items.isEmpty()) {
                return all;
            }
            all.addAll(items);
            Cursor last = cursorOf.apply(items.get(items.size() - 1));
            KeyType type = last.key() instanceof Long ? KeyType.LONG : KeyType.STRING;
            after = Cursor.decode(last.encode(type), type);
        }
        throw new AssertionError("paging does not end");
    }

    private static List<Long> range(long from, long to) {
        List<Long> ids = new ArrayList<>();
        for (long id = from; id <= to; id++) {
            ids.add(id);
        }
        return ids;
    }

    private static CustomerTotals customer(long id, String revenue, long orders) {
        return new CustomerTotals(id, "EUR", new BigDecimal(revenue), orders, 0L, Instant.ofEpochMilli(T0),
                Instant.ofEpochMilli(T0 + HOUR));
    }

    private static ProductRevenueHourly productHour(long id, long start, String revenue) {
        return new ProductRevenueHourly(id, "Product " + id, Instant.ofEpochMilli(start),
                Instant.ofEpochMilli(start + HOUR), "EUR", new BigDecimal(revenue), 2L, 1L, 0L);
    }

    private static RegionRevenueDaily regionDay(String region, long start, String revenue) {
        return new RegionRevenueDaily(region, Instant.ofEpochMilli(start), Instant.ofEpochMilli(start + DAY), "EUR",
                new BigDecimal(revenue), 4L, 1L);
    }

    private static UserSession session(String user, long pageViews) {
        return new UserSession(user, Instant.EPOCH, Instant.EPOCH, 1L, pageViews, 0L, 0L, 0L, 0L);
    }

    private static UserSession merge(UserSession a, UserSession b) {
        return new UserSession(a.getUserId(), a.getSessionStart(), b.getSessionEnd(),
                a.getEventCount() + b.getEventCount(), a.getPageViews() + b.getPageViews(), 0L, 0L, 0L, 0L);
    }
}
