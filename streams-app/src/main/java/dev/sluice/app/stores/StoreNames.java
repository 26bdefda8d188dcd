package dev.sluice.app.stores;

/**
 * Names of the topology's state stores. The four gold stores are queryable (interactive queries) under these
 * names; their key and value types:
 * <ul>
 * <li>{@link #PRODUCT_REVENUE_HOURLY}: window store, key product id (Long), value
 * {@code dev.sluice.schemas.gold.ProductRevenueHourly}, 1-hour windows;</li>
 * <li>{@link #REGION_REVENUE_DAILY}: window store, key region (String), value
 * {@code dev.sluice.schemas.gold.RegionRevenueDaily}, 1-day windows (UTC);</li>
 * <li>{@link #CUSTOMER_TOTALS}: key-value store, key customer id (Long), value
 * {@code dev.sluice.schemas.gold.CustomerTotals};</li>
 * <li>{@link #USER_SESSIONS}: session store, key user id (String), value {@code dev.sluice.schemas.gold.UserSession}.</li>
 * </ul>
 * The reference tables are global key-value stores: {@link #CUSTOMERS_TABLE} (Long to silver Customer),
 * {@link #PRODUCTS_TABLE} (Long to silver Product), {@link #RATES_TABLE} (currency to silver ExchangeRate).
 */
public final class StoreNames {

    public static final String PRODUCT_REVENUE_HOURLY = "product-revenue-hourly";
    public static final String REGION_REVENUE_DAILY = "region-revenue-daily";
    public static final String CUSTOMER_TOTALS = "customer-totals";
    public static final String USER_SESSIONS = "user-sessions";

    public static final String CUSTOMERS_TABLE = "customers-table";
    public static final String PRODUCTS_TABLE = "products-table";
    public static final String RATES_TABLE = "exchange-rates-table";

    public static final String ORDERS_STATE = "enrich.orders";
    public static final String PENDING_ORDERS = "enrich.pending-orders";
    public static final String PENDING_LINES = "enrich.pending-lines";

    private StoreNames() {
    }

    /** The deduplication store of a bronze entity or gold input. */
    public static String dedupe(String name) {
        return "dedupe." + name;
    }

    /** The stream-time store of the late-event gate in front of an aggregate. */
    public static String lateClock(String aggregate) {
        return "late." + aggregate + "-clock";
    }
}
