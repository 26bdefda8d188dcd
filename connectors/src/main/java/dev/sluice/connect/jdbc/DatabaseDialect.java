package dev.sluice.connect.jdbc;

import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.util.Locale;

/**
 * What little SQL differs between databases for this connector: how identifiers are quoted (taken from the
 * driver's {@link DatabaseMetaData#getIdentifierQuoteString()}), how the database's own clock is read, and
 * whether it is PostgreSQL, whose in-flight transactions bound the timestamp modes.
 */
public final class DatabaseDialect {

    private final String quote;
    private final String currentTimestampQuery;
    private final boolean postgres;

    /**
     * @param productName     the database product as the driver names it; chooses how the clock is read
     * @param identifierQuote the driver's identifier quote string
     */
    public DatabaseDialect(String productName, String identifierQuote) {
        // JDBC reports a single space when the database does not support quoted identifiers.
        this.quote = identifierQuote == null || identifierQuote.isBlank() ? "" : identifierQuote.trim();
        String product = productName == null ? "unknown" : productName;
        this.currentTimestampQuery = currentTimestampQueryFor(product);
        this.postgres = product.toLowerCase(Locale.ROOT).equals("postgresql");
    }

    /** The dialect of the database a connection's metadata describes. */
    public static DatabaseDialect from(DatabaseMetaData metaData) throws SQLException {
        return new DatabaseDialect(metaData.getDatabaseProductName(), metaData.getIdentifierQuoteString());
    }

    /** Quotes one identifier, doubling any quote character inside it. */
    public String quote(String identifier) {
        if (quote.isEmpty()) {
            return identifier;
        }
        return quote + identifier.replace(quote, quote + quote) + quote;
    }

    /** The quoted, qualified name of a table, for a FROM clause. */
    public String quote(TableId table) {
        StringBuilder sb = new StringBuilder();
        if (table.catalog() != null) {
            sb.append(quote(table.catalog())).append('.');
        }
        if (table.schema() != null) {
            sb.append(quote(table.schema())).append('.');
        }
        return sb.append(quote(table.table())).toString();
    }

    /**
     * A query returning one row with the database's current time. The upper bound of timestamp queries
     * comes from the database, not from the worker, so clock skew between them cannot skip rows.
     */
    public String currentTimestampQuery() {
        return currentTimestampQuery;
    }

    /** Whether the database is PostgreSQL (as pgjdbc names it), not merely one speaking its protocol. */
    public boolean isPostgres() {
        return postgres;
    }

    private static String currentTimestampQueryFor(String productName) {
        String name = productName.toLowerCase(Locale.ROOT);
        if (name.contains("oracle")) {
            return "SELECT CURRENT_TIMESTAMP FROM DUAL";
        }
        if (name.contains("derby") || name.startsWith("db2")) {
            return "VALUES CURRENT_TIMESTAMP";
        }
        if (name.contains("hsql")) {
            return "VALUES (CURRENT_TIMESTAMP)";
        }
        return "SELECT CURRENT_TIMESTAMP";
    }
}
