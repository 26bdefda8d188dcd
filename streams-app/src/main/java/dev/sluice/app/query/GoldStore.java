package dev.sluice.app.query;

import dev.sluice.app.stores.StoreNames;

/**
 * The gold state stores the API queries, with their kind and key type (see {@link StoreNames}). Their names are
 * the store names and the path segments under {@code /api/stores}.
 */
public enum GoldStore {
    PRODUCT_REVENUE_HOURLY(StoreNames.PRODUCT_REVENUE_HOURLY, StoreKind.WINDOW, KeyType.LONG, "product id",
            "Revenue, quantity and order lines per product per hour of order time"),
    REGION_REVENUE_DAILY(StoreNames.REGION_REVENUE_DAILY, StoreKind.WINDOW, KeyType.STRING, "customer region",
            "Revenue and orders per customer region per UTC day of order time"),
    CUSTOMER_TOTALS(StoreNames.CUSTOMER_TOTALS, StoreKind.KEY_VALUE, KeyType.LONG, "customer id",
            "Running revenue and order count per customer"),
    USER_SESSIONS(StoreNames.USER_SESSIONS, StoreKind.SESSION, KeyType.STRING, "user id",
            "Activity sessions per user (events less than the inactivity gap apart)");

    private final String storeName;
    private final StoreKind kind;
    private final KeyType keyType;
    private final String keyName;
    private final String description;

    GoldStore(String storeName, StoreKind kind, KeyType keyType, String keyName, String description) {
        this.storeName = storeName;
        this.kind = kind;
        this.keyType = keyType;
        this.keyName = keyName;
        this.description = description;
    }

    /** The state store's name, also its path segment under {@code /api/stores}. */
    public String storeName() {
        return storeName;
    }

    public StoreKind kind() {
        return kind;
    }

    public KeyType keyType() {
        return keyType;
    }

    /** What the key is, in words. */
    public String keyName() {
        return keyName;
    }

    public String description() {
        return description;
    }
}
