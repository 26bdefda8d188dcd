package dev.sluice.connect.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DatabaseDialectTest {

    @Test
    void quotesWithTheDriversQuoteStringAndDoublesEmbeddedQuotes() {
        DatabaseDialect postgres = new DatabaseDialect("PostgreSQL", "\"");
        assertEquals("\"order\"", postgres.quote("order"));
        assertEquals("\"a\"\"b\"", postgres.quote("a\"b"));
        assertEquals("\"warehouse\".\"public\".\"odd\"\"name\"",
                postgres.quote(new TableId("warehouse", "public", "odd\"name")));
        DatabaseDialect mysql = new DatabaseDialect("MySQL", "`");
        assertEquals("`my``col`", mysql.quote("my`col"));
        assertEquals("`shop`.`orders`", mysql.quote(new TableId(null, "shop", "orders")));
    }

    @Test
    void aSpaceMeansTheDatabaseDoesNotQuote() {
        assertEquals("orders", new DatabaseDialect("Simple", " ").quote("orders"));
    }

    @Test
    void readsTheClockTheWayEachDatabaseNeeds() {
        assertEquals("SELECT CURRENT_TIMESTAMP", new DatabaseDialect("PostgreSQL", "\"").currentTimestampQuery());
        assertEquals("SELECT CURRENT_TIMESTAMP FROM DUAL", new DatabaseDialect("Oracle", "\"").currentTimestampQuery());
        assertEquals("VALUES CURRENT_TIMESTAMP", new DatabaseDialect("Apache Derby", "\"").currentTimestampQuery());
    }

    @Test
    void onlyPostgresGetsTheInFlightTransactionBound() {
        assertTrue(new DatabaseDialect("PostgreSQL", "\"").isPostgres());
        assertFalse(new DatabaseDialect("MySQL", "`").isPostgres());
        assertFalse(new DatabaseDialect(null, "\"").isPostgres());
    }
}
