package dev.sluice.connect.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class QueryBuilderTest {

    private static final Instant BOUND = Instant.parse("2026-11-21T10:00:00Z");
    private static final Instant LAST_TS = Instant.parse("2026-11-21T09:00:00.123456Z");
    private static final String FROM = "\"public\".\"orders\"";

    @Test
    void bulkReadsEveryRowWithoutParameters() {
        QueryBuilder.BoundQuery q = new QueryBuilder(Mode.BULK, FROM, null, null)
                .build(SourceOffset.of(LAST_TS, 7L), null);
        assertEquals("SELECT * FROM \"public\".\"orders\"", q.sql());
        assertEquals(List.of(), q.parameters());
    }

    @Test
    void incrementingStartsWithEveryNonNullIdAndContinuesAfterTheLastOne() {
        QueryBuilder builder = new QueryBuilder(Mode.INCREMENTING, FROM, null, "\"id\"");
        assertEquals("SELECT * FROM \"public\".\"orders\" WHERE \"id\" IS NOT NULL ORDER BY \"id\" ASC",
                builder.build(SourceOffset.start(), null).sql());
        QueryBuilder.BoundQuery q = builder.build(SourceOffset.of(null, 42L), null);
        assertEquals("SELECT * FROM \"public\".\"orders\" WHERE \"id\" > ? ORDER BY \"id\" ASC", q.sql());
        assertEquals(List.of(42L), q.parameters());
    }

    @Test
    void timestampIsBoundedByTheDatabaseClockMinusDelay() {
        QueryBuilder builder = new QueryBuilder(Mode.TIMESTAMP, FROM, "\"updated_at\"", null);
        QueryBuilder.BoundQuery first = builder.build(SourceOffset.start(), BOUND);
        assertEquals("SELECT * FROM \"public\".\"orders\" WHERE \"updated_at\" < ? ORDER BY \"updated_at\" ASC",
                first.sql());
        assertEquals(List.of(BOUND), first.parameters());
        QueryBuilder.BoundQuery next = builder.build(SourceOffset.of(LAST_TS, null), BOUND);
        assertEquals("SELECT * FROM \"public\".\"orders\" WHERE \"updated_at\" < ? AND \"updated_at\" > ? "
                + "ORDER BY \"updated_at\" ASC", next.sql());
        assertEquals(List.of(BOUND, LAST_TS), next.parameters());
    }

    @Test
    void timestampIncrementingResumesAfterTheLastTimestampAndId() {
        QueryBuilder builder = new QueryBuilder(Mode.TIMESTAMP_INCREMENTING, FROM, "\"ts\"", "\"id\"");
        QueryBuilder.BoundQuery q = builder.build(SourceOffset.of(LAST_TS, 9L), BOUND);
        assertEquals("SELECT * FROM \"public\".\"orders\" WHERE \"ts\" < ? AND (\"ts\" > ? OR (\"ts\" = ? AND "
                + "\"id\" > ?)) ORDER BY \"ts\" ASC, \"id\" ASC", q.sql());
        assertEquals(List.of(BOUND, LAST_TS, LAST_TS, 9L), q.parameters());
    }

    @Test
    void timestampIncrementingFromTheStartSkipsOnlyRowsWithoutId() {
        QueryBuilder.BoundQuery q = new QueryBuilder(Mode.TIMESTAMP_INCREMENTING, FROM, "\"ts\"", "\"id\"")
                .build(SourceOffset.start(), BOUND);
        assertEquals("SELECT * FROM \"public\".\"orders\" WHERE \"ts\" < ? AND \"id\" IS NOT NULL "
                + "ORDER BY \"ts\" ASC, \"id\" ASC", q.sql());
        assertEquals(List.of(BOUND), q.parameters());
    }

    @Test
    void timestampIncrementingAcceptsAnOffsetWrittenByTimestampMode() {
        QueryBuilder.BoundQuery q = new QueryBuilder(Mode.TIMESTAMP_INCREMENTING, FROM, "\"ts\"", "\"id\"")
                .build(SourceOffset.of(LAST_TS, null), BOUND);
        assertEquals("SELECT * FROM \"public\".\"orders\" WHERE \"ts\" < ? AND \"ts\" > ? "
                + "ORDER BY \"ts\" ASC, \"id\" ASC", q.sql());
        assertEquals(List.of(BOUND, LAST_TS), q.parameters());
    }

    @Test
    void customQueryIsWrappedSoConditionsApplyToItsColumns() {
        String from = QueryBuilder.fromQuery("SELECT o.id, o.ts FROM orders o JOIN customers c ON c.id = o.cid;  ");
        assertEquals("(SELECT o.id, o.ts FROM orders o JOIN customers c ON c.id = o.cid\n) sluice_source", from);
        QueryBuilder.BoundQuery q = new QueryBuilder(Mode.INCREMENTING, from, null, "\"id\"")
                .build(SourceOffset.of(null, 1L), null);
        assertEquals("SELECT * FROM (SELECT o.id, o.ts FROM orders o JOIN customers c ON c.id = o.cid\n) "
                + "sluice_source WHERE \"id\" > ? ORDER BY \"id\" ASC", q.sql());
    }

    @Test
    void aTrailingLineCommentOfACustomQueryEndsBeforeTheConditions() {
        String from = QueryBuilder.fromQuery("SELECT id FROM orders -- open orders only");
        assertEquals("(SELECT id FROM orders -- open orders only\n) sluice_source", from);
    }

    @Test
    void emptyResultQueryReadsOnlyMetadata() {
        assertEquals("SELECT * FROM \"public\".\"orders\" WHERE 1 = 0",
                new QueryBuilder(Mode.BULK, FROM, null, null).emptyResultQuery());
    }

    @Test
    void modesRefuseToBuildWithoutTheirColumnsOrBound() {
        assertThrows(IllegalArgumentException.class, () -> new QueryBuilder(Mode.TIMESTAMP, FROM, null, null));
        assertThrows(IllegalArgumentException.class, () -> new QueryBuilder(Mode.INCREMENTING, FROM, "\"ts\"", ""));
        QueryBuilder timestamp = new QueryBuilder(Mode.TIMESTAMP, FROM, "\"ts\"", null);
        assertThrows(IllegalArgumentException.class, () -> timestamp.build(SourceOffset.start(), null));
    }
}
