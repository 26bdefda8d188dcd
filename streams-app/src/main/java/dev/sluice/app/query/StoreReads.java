package dev.sluice.app.query;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlySessionStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

import dev.sluice.app.aggregate.AggregateSettings;
import dev.sluice.schemas.gold.CustomerTotals;
import dev.sluice.schemas.gold.ProductRevenueHourly;
import dev.sluice.schemas.gold.RegionRevenueDaily;
import dev.sluice.schemas.gold.UserSession;
import io.micronaut.core.annotation.Nullable;

/**
 * Reads of one store partition (or any read-only view of the gold stores), as API views. Pages hold at most
 * {@code max} entries in {@link #order(GoldStore) the store's order}, after the cursor; time ranges are half-open.
 */
final class StoreReads {

    private static final long HOUR = AggregateSettings.HOUR.toMillis();
    private static final long DAY = AggregateSettings.DAY.toMillis();

    static final Comparator<CustomerTotalsView> CUSTOMER_ORDER = Comparator.comparingLong(
            CustomerTotalsView::customerId);
    static final Comparator<ProductHourView> PRODUCT_HOUR_ORDER = Comparator.comparingLong(ProductHourView::productId)
            .thenComparingLong(view -> GoldViews.millis(view.windowStart()));
    static final Comparator<RegionDayView> REGION_DAY_ORDER = Comparator.<RegionDayView, Object>comparing(
            RegionDayView::region, KeyType.STRING::compare).thenComparingLong(view -> GoldViews.millis(
                    view.windowStart()));
    static final Comparator<SessionView> SESSION_ORDER = Comparator.<SessionView, Object>comparing(
            SessionView::userId, KeyType.STRING::compare).thenComparingLong(view -> GoldViews.millis(
                    view.sessionStart()));
    /** Highest revenue first; ties by product id, so that every instance ranks alike. */
    static final Comparator<ProductHourView> TOP_ORDER = Comparator.<ProductHourView, BigDecimal>comparing(
            view -> new BigDecimal(view.revenue())).reversed().thenComparingLong(ProductHourView::productId);

    private StoreReads() {
    }

    // ---- customer-totals -------------------------------------------------------------------------------------

    @Nullable
    static CustomerTotalsView customer(ReadOnlyKeyValueStore<Long, CustomerTotals> store, long customerId) {
        CustomerTotals value = store.get(customerId);
        return value == null ? null : GoldViews.customer(customerId, value);
    }

    static List<CustomerTotalsView> customers(ReadOnlyKeyValueStore<Long, CustomerTotals> store, KeyRange keys,
            @Nullable Cursor after, int max) {
        if (keys.exhaustedAfter(after, KeyType.LONG)) {
            return List.of();
        }
        Long from = (Long) keys.startAfter(after, KeyType.LONG);
        List<CustomerTotalsView> page = new ArrayList<>();
        try (KeyValueIterator<Long, CustomerTotals> it = store.range(from, (Long) keys.to())) {
            while (it.hasNext() && page.size() < max) {
                KeyValue<Long, CustomerTotals> entry = it.next();
                if (after == null || entry.key > (Long) after.key()) {
                    page.add(GoldViews.customer(entry.key, entry.value));
                }
            }
        }
        return page;
    }

    // ---- product-revenue-hourly ------------------------------------------------------------------------------

    static List<ProductHourView> productHours(ReadOnlyWindowStore<Long, ProductRevenueHourly> store, long productId,
            TimeRange range) {
        return windowsOf(store, productId, range, HOUR, GoldViews::productHour);
    }

    static List<ProductHourView> productHourPage(ReadOnlyWindowStore<Long, ProductRevenueHourly> store, KeyRange keys,
            TimeRange range, @Nullable Cursor after, int max) {
        return windowPage(store, Long.class, KeyType.LONG, keys, range, after, max, HOUR, PRODUCT_HOUR_ORDER,
                GoldViews::productHour);
    }

    static List<ProductHourView> topProducts(ReadOnlyWindowStore<Long, ProductRevenueHourly> store, long hourStart,
            int n) {
        Smallest<ProductHourView> top = new Smallest<>(n, TOP_ORDER);
        try (KeyValueIterator<Windowed<Long>, ProductRevenueHourly> it = store.fetchAll(
                Instant.ofEpochMilli(hourStart), Instant.ofEpochMilli(hourStart))) {
            while (it.hasNext()) {
                KeyValue<Windowed<Long>, ProductRevenueHourly> entry = it.next();
                top.offer(GoldViews.productHour(entry.key.key(), hourStart, hourStart + HOUR, entry.value));
            }
        }
        return top.sorted();
    }

    // ---- region-revenue-daily --------------------------------------------------------------------------------

    static List<RegionDayView> regionDays(ReadOnlyWindowStore<String, RegionRevenueDaily> store, String region,
            TimeRange range) {
        return windowsOf(store, region, range, DAY, GoldViews::regionDay);
    }

    static List<RegionDayView> regionDayPage(ReadOnlyWindowStore<String, RegionRevenueDaily> store, KeyRange keys,
            TimeRange range, @Nullable Cursor after, int max) {
        return windowPage(store, String.class, KeyType.STRING, keys, range, after, max, DAY, REGION_DAY_ORDER,
                GoldViews::regionDay);
    }

    /** The view of one window of a window store: its key, start, end (exclusive) and aggregate. */
    @FunctionalInterface
    private interface WindowView<K, V, T> {
        T of(K key, long windowStart, long windowEnd, V value);
    }

    /** The windows of one key that start in the time range, oldest first. */
    private static <K, V, T> List<T> windowsOf(ReadOnlyWindowStore<K, V> store, K key, TimeRange range, long size,
            WindowView<K, V, T> view) {
        List<T> windows = new ArrayList<>();
        try (WindowStoreIterator<V> it = store.fetch(key, Instant.ofEpochMilli(range.from()),
                Instant.ofEpochMilli(range.last()))) {
            while (it.hasNext()) {
                KeyValue<Long, V> entry = it.next();
                windows.add(view.of(key, entry.key, entry.key + size, entry.value));
            }
        }
        return windows;
    }

    /** A page of the windows of a key range and time range, after the cursor, at most {@code max} in order. */
    private static <K, V, T> List<T> windowPage(ReadOnlyWindowStore<K, V> store, Class<K> keyClass, KeyType keyType,
            KeyRange keys, TimeRange range, @Nullable Cursor after, int max, long size, Comparator<T> order,
            WindowView<K, V, T> view) {
        if (keys.exhaustedAfter(after, keyType)) {
            return List.of();
        }
        Smallest<T> page = new Smallest<>(max, order);
        try (KeyValueIterator<Windowed<K>, V> it = windows(store, keyClass.cast(keys.startAfter(after, keyType)),
                keyClass.cast(keys.to()), range)) {
            while (it.hasNext()) {
                KeyValue<Windowed<K>, V> entry = it.next();
                Windowed<K> key = entry.key;
                if (keys.contains(key.key(), keyType) && isAfter(key.key(), key.window().start(), after, keyType)) {
                    page.offer(view.of(key.key(), key.window().start(), key.window().start() + size, entry.value));
                }
            }
        }
        return page.sorted();
    }

    /**
     * The windows of a key range and time range. With an open key bound, every window of the time range, which the
     * caller filters: Kafka Streams 4.3's persistent window stores return each entry once per segment interval of
     * the time range when {@code fetch} gets a null key bound (thousands of times over for an open time range).
     */
    private static <K, V> KeyValueIterator<Windowed<K>, V> windows(ReadOnlyWindowStore<K, V> store,
            @Nullable K from, @Nullable K to, TimeRange range) {
        Instant start = Instant.ofEpochMilli(range.from());
        Instant end = Instant.ofEpochMilli(range.last());
        return from != null && to != null ? store.fetch(from, to, start, end) : store.fetchAll(start, end);
    }

    // ---- user-sessions ---------------------------------------------------------------------------------------

    // The sessions store is keyed by the user id's UTF-8 bytes (the topology keeps the bronze key bytes), which is
    // what a String key serializes to: same order, same partition.

    static List<SessionView> sessions(ReadOnlySessionStore<byte[], UserSession> store, String userId,
            TimeRange range) {
        Smallest<SessionView> sessions = new Smallest<>(Integer.MAX_VALUE, SESSION_ORDER);
        try (KeyValueIterator<Windowed<byte[]>, UserSession> it = store.findSessions(utf8(userId), range.from(),
                range.last())) {
            while (it.hasNext()) {
                KeyValue<Windowed<byte[]>, UserSession> entry = it.next();
                sessions.offer(GoldViews.session(userId, entry.key.window(), entry.value));
            }
        }
        return sessions.sorted();
    }

    static List<SessionView> sessionPage(ReadOnlySessionStore<byte[], UserSession> store, KeyRange keys,
            TimeRange range, @Nullable Cursor after, int max) {
        if (keys.exhaustedAfter(after, KeyType.STRING)) {
            return List.of();
        }
        Smallest<SessionView> page = new Smallest<>(max, SESSION_ORDER);
        try (KeyValueIterator<Windowed<byte[]>, UserSession> it = store.findSessions(
                utf8((String) keys.startAfter(after, KeyType.STRING)), utf8((String) keys.to()), range.from(),
                range.last())) {
            while (it.hasNext()) {
                KeyValue<Windowed<byte[]>, UserSession> entry = it.next();
                String user = new String(entry.key.key(), StandardCharsets.UTF_8);
                if (isAfter(user, entry.key.window().start(), after, KeyType.STRING)) {
                    page.offer(GoldViews.session(user, entry.key.window(), entry.value));
                }
            }
        }
        return page.sorted();
    }

    private static byte @Nullable [] utf8(@Nullable String key) {
        return key == null ? null : key.getBytes(StandardCharsets.UTF_8);
    }

    // ---- paging ----------------------------------------------------------------------------------------------

    /** Whether an entry (key, window start) comes after the cursor in the store's order. */
    static boolean isAfter(Object key, long start, @Nullable Cursor after, KeyType type) {
        if (after == null) {
            return true;
        }
        int byKey = type.compare(key, after.key());
        return byKey > 0 || byKey == 0 && start > after.time();
    }

    static Cursor cursorOf(CustomerTotalsView view) {
        return new Cursor(view.customerId(), 0);
    }

    static Cursor cursorOf(ProductHourView view) {
        return new Cursor(view.productId(), GoldViews.millis(view.windowStart()));
    }

    static Cursor cursorOf(RegionDayView view) {
        return new Cursor(view.region(), GoldViews.millis(view.windowStart()));
    }

    static Cursor cursorOf(SessionView view) {
        return new Cursor(view.userId(), GoldViews.millis(view.sessionStart()));
    }
}
