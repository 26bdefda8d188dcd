package dev.sluice.app.testing;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Valid bronze rows of every entity, as mutable maps that a test changes to make them invalid. Times are relative to
 * {@link PipelineDriver#NOW}, the driver's wall clock.
 */
public final class Rows {

    private static final AtomicLong LSN = new AtomicLong(1_000_000);

    private Rows() {
    }

    public static long nextLsn() {
        return LSN.incrementAndGet();
    }

    public static Map<String, Object> customer(long id) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", id);
        row.put("email", "customer-" + id + "@example.com");
        row.put("full_name", "Ada Lovelace");
        row.put("region", "EMEA");
        row.put("country", "GB");
        row.put("created_at", PipelineDriver.NOW.minusSeconds(3600));
        row.put("updated_at", PipelineDriver.NOW.minusSeconds(3600));
        return cdc(row, "customers");
    }

    public static Map<String, Object> product(long id, String price, String currency) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", id);
        row.put("sku", "SKU-" + id);
        row.put("name", "Espresso machine " + id);
        row.put("category", "kitchen");
        row.put("price", new BigDecimal(price));
        row.put("currency", currency);
        row.put("updated_at", PipelineDriver.NOW.minusSeconds(3600));
        return cdc(row, "products");
    }

    public static Map<String, Object> order(long id, long customerId, String currency, String total, Instant orderedAt) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", id);
        row.put("customer_id", customerId);
        row.put("status", "NEW");
        row.put("currency", currency);
        row.put("total_amount", new BigDecimal(total));
        row.put("ordered_at", orderedAt);
        row.put("updated_at", orderedAt);
        return cdc(row, "orders");
    }

    public static Map<String, Object> item(long orderId, int lineNo, long productId, int quantity, String unitPrice) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("order_id", orderId);
        row.put("line_no", lineNo);
        row.put("product_id", productId);
        row.put("quantity", quantity);
        row.put("unit_price", new BigDecimal(unitPrice));
        return cdc(row, "order_items");
    }

    public static Map<String, Object> rate(long id, String currency, String rateToEur, Instant validFrom) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", id);
        row.put("currency", currency);
        row.put("rate_to_eur", new BigDecimal(rateToEur));
        row.put("valid_from", validFrom);
        row.put("updated_at", validFrom);
        return row;
    }

    public static Map<String, Object> catalog(long id) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", id);
        row.put("sku", "SKU-" + id);
        row.put("supplier", "Brewtech GmbH");
        row.put("weight_grams", 9800);
        row.put("description", "Dual-boiler espresso machine");
        row.put("updated_at", PipelineDriver.NOW.minusSeconds(3600));
        return row;
    }

    public static Map<String, Object> userEvent(String userId, String type, Instant occurredAt) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("event_id", UUID.randomUUID().toString());
        row.put("event_type", type);
        row.put("user_id", userId);
        row.put("session_id", "s-1");
        row.put("product_id", type.endsWith("_cart") ? 1L : null);
        row.put("quantity", type.endsWith("_cart") ? 1 : null);
        row.put("page", type.equals("page_view") ? "/products" : null);
        row.put("occurred_at", occurredAt);
        return row;
    }

    /** Marks {@code row} as the delete Debezium writes with tombstone handling "rewrite": last values, deleted. */
    public static Map<String, Object> deleted(Map<String, Object> row) {
        row.put("__op", "d");
        row.put("__deleted", "true");
        row.put("__lsn", nextLsn());
        return row;
    }

    /** Marks {@code row} as an update with a new log position. */
    public static Map<String, Object> updated(Map<String, Object> row) {
        row.put("__op", "u");
        row.put("__lsn", nextLsn());
        return row;
    }

    private static Map<String, Object> cdc(Map<String, Object> row, String table) {
        row.put("__op", "c");
        row.put("__table", table);
        row.put("__lsn", nextLsn());
        row.put("__source_ts_ms", PipelineDriver.NOW.minusSeconds(1).toEpochMilli());
        row.put("__deleted", "false");
        return row;
    }
}
