package dev.sluice.devstack.generator;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Row changes in the shop database, as a busy web shop would make them: new customers, orders with items, order
 * status changes, price changes and deletions of cancelled orders. A share of changes is deliberately bad for
 * the pipeline's validation (the database accepts them): unknown customers, unknown currencies, malformed emails,
 * negative amounts, hostile and huge strings.
 */
final class ShopActivity implements AutoCloseable {

    private static final List<String> REGIONS = List.of("EMEA", "AMER", "APAC");
    private static final List<String> COUNTRIES = List.of("DE", "FR", "GB", "US", "CA", "JP", "IN", "BR");
    private static final List<String> CURRENCIES = List.of("EUR", "USD", "GBP");
    private static final List<String> HOSTILE = List.of("../../etc/passwd", "a/b\\c", "'; DROP TABLE orders; --",
            "line\nbreak", "nul\u0000byte", "emoji \uD83D\uDE80", "%2e%2e%2f", "x".repeat(10_000));

    private final ShopDatabase database;
    private final double badRatio;
    private final Random random;
    private final AtomicLong changes = new AtomicLong();
    private Connection connection;

    ShopActivity(ShopDatabase database, double badRatio, long seed) {
        this.database = database;
        this.badRatio = badRatio;
        this.random = new Random(seed);
    }

    long changes() {
        return changes.get();
    }

    /** Makes one row change (or one order with its items, in one transaction). */
    void step() {
        try {
            Connection db = connection();
            boolean bad = random.nextDouble() < badRatio;
            int dice = random.nextInt(100);
            if (dice < 10) {
                insertCustomer(db, bad);
            } else if (dice < 55) {
                insertOrder(db, bad);
            } else if (dice < 85) {
                advanceOrder(db);
            } else if (dice < 95) {
                changePrice(db);
            } else {
                deleteCancelledOrder(db);
            }
            db.commit();
            changes.incrementAndGet();
        } catch (SQLException e) {
            rollbackAndReconnect();
            throw new IllegalStateException("shop change failed: " + e.getMessage(), e);
        }
    }

    private void insertCustomer(Connection db, boolean bad) throws SQLException {
        String id = Long.toString(random.nextLong() & Long.MAX_VALUE, 36);
        // Emails are unique in the table, so bad ones carry the id too.
        String email = bad ? pick(List.of("not-an-email", "a@b", pick(HOSTILE))) + "-" + id
                : "user-" + id + "@example.com";
        String name = bad && random.nextBoolean() ? pick(HOSTILE) : "Customer " + id;
        String region = bad && random.nextBoolean() ? pick(HOSTILE) : pick(REGIONS);
        try (PreparedStatement insert = db.prepareStatement(
                "INSERT INTO customers (email, full_name, region, country) VALUES (?, ?, ?, ?)")) {
            insert.setString(1, storable(email));
            insert.setString(2, storable(name));
            insert.setString(3, storable(region));
            insert.setString(4, pick(COUNTRIES));
            insert.executeUpdate();
        }
    }

    /** PostgreSQL text cannot hold NUL; every other hostile character goes through. */
    private static String storable(String value) {
        return value.replace("\u0000", "");
    }

    private void insertOrder(Connection db, boolean bad) throws SQLException {
        long customer = bad && random.nextBoolean() ? 900_000_000L + random.nextInt(1000) : randomId(db, "customers");
        String currency = bad && random.nextBoolean() ? "XXX" : pick(CURRENCIES);
        int lines = 1 + random.nextInt(3);
        long[] products = new long[lines];
        int[] quantities = new int[lines];
        BigDecimal[] prices = new BigDecimal[lines];
        BigDecimal total = BigDecimal.ZERO;
        for (int i = 0; i < lines; i++) {
            products[i] = randomId(db, "products");
            quantities[i] = bad && i == 0 && random.nextBoolean() ? -1 : 1 + random.nextInt(3);
            prices[i] = price(db, products[i]);
            total = total.add(prices[i].multiply(BigDecimal.valueOf(quantities[i])));
        }
        long orderId;
        try (PreparedStatement insert = db.prepareStatement("INSERT INTO orders (customer_id, status, currency, "
                + "total_amount) VALUES (?, 'NEW', ?, ?) RETURNING id")) {
            insert.setLong(1, customer);
            insert.setString(2, currency);
            insert.setBigDecimal(3, total.setScale(2, RoundingMode.HALF_UP));
            try (ResultSet rs = insert.executeQuery()) {
                rs.next();
                orderId = rs.getLong(1);
            }
        }
        try (PreparedStatement item = db.prepareStatement("INSERT INTO order_items (order_id, line_no, product_id, "
                + "quantity, unit_price) VALUES (?, ?, ?, ?, ?)")) {
            for (int i = 0; i < lines; i++) {
                item.setLong(1, orderId);
                item.setInt(2, i + 1);
                item.setLong(3, products[i]);
                item.setInt(4, quantities[i]);
                item.setBigDecimal(5, prices[i]);
                item.addBatch();
            }
            item.executeBatch();
        }
    }

    private void advanceOrder(Connection db) throws SQLException {
        try (Statement statement = db.createStatement()) {
            statement.executeUpdate("UPDATE orders SET updated_at = now(), status = CASE "
                    + "WHEN status = 'NEW' AND random() < 0.1 THEN 'CANCELLED' "
                    + "WHEN status = 'NEW' THEN 'PAID' WHEN status = 'PAID' THEN 'SHIPPED' ELSE status END "
                    + "WHERE id = (SELECT id FROM orders WHERE status IN ('NEW', 'PAID') "
                    + "ORDER BY id DESC OFFSET floor(random() * 20) LIMIT 1)");
        }
    }

    private void changePrice(Connection db) throws SQLException {
        try (PreparedStatement update = db.prepareStatement("UPDATE products SET updated_at = now(), "
                + "price = round(price * ?, 2) WHERE id = ?")) {
            update.setBigDecimal(1, BigDecimal.valueOf(0.95 + random.nextDouble() * 0.1));
            update.setLong(2, randomId(db, "products"));
            update.executeUpdate();
        }
    }

    private void deleteCancelledOrder(Connection db) throws SQLException {
        try (Statement statement = db.createStatement()) {
            statement.executeUpdate("DELETE FROM orders WHERE id = (SELECT id FROM orders WHERE status = 'CANCELLED' "
                    + "ORDER BY id LIMIT 1)");
        }
    }

    private long randomId(Connection db, String table) throws SQLException {
        try (Statement statement = db.createStatement();
                ResultSet rs = statement.executeQuery("SELECT id FROM " + table
                        + " OFFSET floor(random() * (SELECT count(*) FROM " + table + ")) LIMIT 1")) {
            return rs.next() ? rs.getLong(1) : 1;
        }
    }

    private static BigDecimal price(Connection db, long product) throws SQLException {
        try (PreparedStatement select = db.prepareStatement("SELECT price FROM products WHERE id = ?")) {
            select.setLong(1, product);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? rs.getBigDecimal(1) : BigDecimal.ONE;
            }
        }
    }

    private String pick(List<String> values) {
        return values.get(random.nextInt(values.size()));
    }

    private Connection connection() throws SQLException {
        if (connection == null || connection.isClosed()) {
            connection = database.connect();
            connection.setAutoCommit(false);
        }
        return connection;
    }

    private void rollbackAndReconnect() {
        try {
            if (connection != null) {
                connection.close();
            }
        } catch (SQLException ignored) {
            // The connection is being replaced; its close error tells nothing more than the failure reported.
        }
        connection = null;
    }

    @Override
    public void close() {
        rollbackAndReconnect();
    }
}
