package dev.sluice.connect.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SourceOffsetTest {

    private static final Instant T1 = Instant.parse("2026-11-21T09:00:00.000001Z");
    private static final Instant T2 = Instant.parse("2026-11-21T09:00:00.000002Z");

    @Test
    void roundTripsThroughTheStoredMapKeepingNanoseconds() {
        Instant precise = Instant.parse("2026-11-21T09:00:00.123456789Z");
        SourceOffset offset = SourceOffset.of(precise, 123L);
        Map<String, Object> stored = offset.toMap();
        assertEquals(Map.of("timestamp", "2026-11-21T09:00:00.123456789Z", "incrementing", 123L), stored);
        assertEquals(offset, SourceOffset.fromMap(stored));
    }

    @Test
    void storesOnlyThePartsTheModeUses() {
        assertEquals(Map.of("incrementing", 5L), SourceOffset.of(null, 5L).toMap());
        assertEquals(Map.of("timestamp", T1.toString()), SourceOffset.of(T1, null).toMap());
        assertEquals(Map.of(), SourceOffset.start().toMap());
    }

    @Test
    void nothingCommittedIsTheStart() {
        assertTrue(SourceOffset.fromMap(null).isStart());
        assertTrue(SourceOffset.fromMap(Map.of()).isStart());
        assertTrue(SourceOffset.of(null, null).isStart());
    }

    @Test
    void acceptsIntegersAsJsonDeserializationMayProduceThem() {
        assertEquals(7L, SourceOffset.fromMap(Map.of("incrementing", 7)).incrementing());
    }

    @Test
    void rejectsMalformedOffsetsWithTheKeyNamed() {
        IllegalArgumentException badTs = assertThrows(IllegalArgumentException.class,
                () -> SourceOffset.fromMap(Map.of("timestamp", "yesterday")));
        assertTrue(badTs.getMessage().contains("'timestamp'"), badTs.getMessage());
        IllegalArgumentException badId = assertThrows(IllegalArgumentException.class,
                () -> SourceOffset.fromMap(Map.of("incrementing", 1.5)));
        assertTrue(badId.getMessage().contains("'incrementing'"), badId.getMessage());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> SourceOffset.fromMap(Map.of("incrementing", 1L, "lsn", 2L)));
        assertTrue(unknown.getMessage().contains("'lsn'"), unknown.getMessage());
        Map<String, Object> numericTimestamp = new HashMap<>();
        numericTimestamp.put("timestamp", 3L);
        assertThrows(IllegalArgumentException.class, () -> SourceOffset.fromMap(numericTimestamp));
    }

    @Test
    void ordersByTimestampThenIdLikeTheQueries() {
        SourceOffset start = SourceOffset.start();
        SourceOffset t1id9 = SourceOffset.of(T1, 9L);
        SourceOffset t1id10 = SourceOffset.of(T1, 10L);
        SourceOffset t2id1 = SourceOffset.of(T2, 1L);
        List<SourceOffset> shuffled = new ArrayList<>(List.of(t2id1, t1id10, start, t1id9));
        Collections.sort(shuffled);
        assertEquals(List.of(start, t1id9, t1id10, t2id1), shuffled);
        assertTrue(t1id10.isAfter(t1id9));
        assertTrue(t2id1.isAfter(t1id10), "a later timestamp wins over a larger id");
        assertFalse(t1id9.isAfter(t1id9), "an offset is not after itself");
    }

    @Test
    void absentPartsSortFirst() {
        assertTrue(SourceOffset.of(null, 1L).isAfter(SourceOffset.start()));
        assertTrue(SourceOffset.of(T1, null).isAfter(SourceOffset.of(null, 100L)));
        assertTrue(SourceOffset.of(T1, 1L).isAfter(SourceOffset.of(T1, null)));
    }
}
