package dev.sluice.app.dlq.browse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The browse filter by headers, and the coordinates that name a dead letter. */
class DeadLetterFilterTest {

    private static final DeadLetterSummary LETTER = new DeadLetterSummary("dlq.validate", 1, 7, "dlq.validate/1/7",
            "2026-11-22T09:00:00Z", "2026-11-22T10:00:00Z", "validate", "VALIDATION_FAILED",
            "customers.country.pattern", null, "bronze.pg.customers", 2, 40L, "1.0", null, null);

    @Test
    void eachPartNarrowsAndAnAbsentPartMatchesAll() {
        assertTrue(DeadLetterFilter.ALL.matches(LETTER));
        assertTrue(DeadLetterFilter.of("validate", "validation_failed", "customers.country.pattern",
                "bronze.pg.customers/2", "2026-11-22T10:00:00Z", "2026-11-22T10:00:01Z").matches(LETTER));
        assertFalse(DeadLetterFilter.of("dedupe", null, null, null, null, null).matches(LETTER));
        assertFalse(DeadLetterFilter.of(null, "DUPLICATE", null, null, null, null).matches(LETTER));
        assertFalse(DeadLetterFilter.of(null, null, "customers.email.pattern", null, null, null).matches(LETTER));
        assertFalse(DeadLetterFilter.of(null, null, null, "bronze.pg.customers/1", null, null).matches(LETTER));
        assertFalse(DeadLetterFilter.of(null, null, null, "bronze.pg.customers/2/4", null, null).matches(LETTER),
                "offset 4 is not a prefix of offset 40");
        assertTrue(DeadLetterFilter.of(null, null, null, "bronze.pg.customers/2/40", null, null).matches(LETTER));
        assertFalse(DeadLetterFilter.of(null, null, null, "bronze.pg", null, null).matches(LETTER),
                "a topic, not a prefix of one");
        assertFalse(DeadLetterFilter.of(null, null, null, null, "2026-11-22T10:00:01Z", null).matches(LETTER));
        assertFalse(DeadLetterFilter.of(null, null, null, null, null, "2026-11-22T10:00:00Z").matches(LETTER),
                "'to' is exclusive");
    }

    @Test
    void aStageReadsOnlyItsTopic() {
        List<String> all = List.of("dlq.deserialize", "dlq.validate", "dlq.dedupe");
        assertEquals(List.of("dlq.validate"), DeadLetterFilter.of("validate", null, null, null, null, null)
                .topics(all));
        assertEquals(all, DeadLetterFilter.ALL.topics(all));
    }

    @Test
    void wrongValuesNameTheirParameter() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DeadLetterFilter.of("nowhere", null, null,
                null, null, null)).getMessage().startsWith("stage:"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DeadLetterFilter.of(null, "OOPS", null,
                null, null, null)).getMessage().startsWith("code:"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DeadLetterFilter.of(null, null, null,
                null, "yesterday", null)).getMessage().startsWith("from:"));
    }

    @Test
    void coordinatesAreTopicPartitionAndOffset() {
        DeadLetterCoordinates at = DeadLetterCoordinates.parse("dlq.validate/1/7");
        assertEquals(new DeadLetterCoordinates("dlq.validate", 1, 7), at);
        assertEquals("dlq.validate/1/7", at.toString());
        for (String wrong : List.of("dlq.validate/1", "dlq.validate/x/7", "dlq.validate/1/-7", "/1/7", "a/b/1/7")) {
            assertThrows(IllegalArgumentException.class, () -> DeadLetterCoordinates.parse(wrong), wrong);
        }
    }
}
