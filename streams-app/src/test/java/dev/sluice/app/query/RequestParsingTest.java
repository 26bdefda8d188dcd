package dev.sluice.app.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.Test;

/**
 * Request parameters: keys, key ranges and time ranges are read strictly, and everything unreadable is a 400 whose
 * message names the parameter (echoing input only cut and cleaned).
 */
class RequestParsingTest {

    @Test
    void timeRangesAreHalfOpenIsoInstantsWithOpenEnds() {
        TimeRange range = TimeRange.parse("2026-11-22T10:00:00Z", "2026-11-22T12:00:00Z");
        assertEquals(1_795_341_600_000L, range.from());
        assertEquals(range.to() - 1, range.last());
        assertEquals("2026-11-22T10:00:00Z", range.fromText());
        assertEquals(TimeRange.ALL, TimeRange.parse(null, ""));
        assertNull(TimeRange.ALL.fromText());
        assertNull(TimeRange.ALL.toText());
        assertBadRequest(() -> TimeRange.parse("yesterday", null), "from must be an ISO-8601 instant");
        assertBadRequest(() -> TimeRange.parse("2026-11-22T12:00:00Z", "2026-11-22T12:00:00Z"),
                "from must be before to");
        assertBadRequest(() -> TimeRange.parse("1969-12-31T00:00:00Z", null), "before 1970");
    }

    @Test
    void keysAreReadAsTheStoreTypesThem() {
        assertEquals(42L, KeyType.LONG.parse(" 42 ", "customerId"));
        assertBadRequest(() -> KeyType.LONG.parse("-1", "customerId"), "customerId must be a non-negative integer");
        assertBadRequest(() -> KeyType.LONG.parse("4\u00002", "productId"), "'4?2'");
        assertEquals("EMEA", KeyType.STRING.parse("EMEA", "region"));
        assertBadRequest(() -> KeyType.STRING.parse("x".repeat(300), "userId"), "userId must have 1 to 256");
        assertTrue(KeyType.STRING.compare("Z", "a") < 0, "by UTF-8 bytes, as the stores order them");
        assertTrue(KeyType.STRING.compare("\uFFFF", "\uD83D\uDE00") < 0, "not by UTF-16 units");
        assertTrue(KeyType.LONG.compare(9L, 10L) < 0);
    }

    @Test
    void keyRangesAreInclusiveAndOrdered() {
        KeyRange range = KeyRange.parse("3", "7", KeyType.LONG);
        assertTrue(range.contains(3L, KeyType.LONG) && range.contains(7L, KeyType.LONG));
        assertTrue(!range.contains(8L, KeyType.LONG));
        assertEquals(5L, range.startAfter(new Cursor(5L, 0), KeyType.LONG));
        assertEquals(3L, range.startAfter(new Cursor(1L, 0), KeyType.LONG));
        assertTrue(range.exhaustedAfter(new Cursor(7L, 0), KeyType.LONG));
        assertBadRequest(() -> KeyRange.parse("APAC", "AMER", KeyType.STRING), "keyFrom must not be after keyTo");
    }

    @Test
    void forwardedPartitionListsAreReadStrictly() {
        assertEquals(new TreeSet<>(List.of(0, 2)), Forwarding.Scope.partitions(" 2,0 "));
        SortedSet<Integer> none = Forwarding.Scope.partitions(null);
        assertTrue(none.isEmpty());
        assertBadRequest(() -> Forwarding.Scope.partitions("1,x"), "X-Sluice-Partitions");
        assertBadRequest(() -> Forwarding.Scope.partitions("-1"), "X-Sluice-Partitions");
        assertEquals("0,2,5", Forwarding.header(new TreeSet<>(List.of(5, 0, 2))));
    }

    @Test
    void aKeysPartitionIsTheProducersDefaultPartitionOfItsSerializedKey() {
        for (Object key : List.of(1L, 42L, 1_000_003L, "EMEA", "user-17")) {
            KeyType type = key instanceof Long ? KeyType.LONG : KeyType.STRING;
            byte[] bytes = type.serializer().serialize(null, key);
            assertEquals(BuiltInPartitioner.partitionForKey(bytes, 12), StreamsMetadataService.partitionOf(bytes, 12),
                    "partition of " + key);
        }
    }

    private static void assertBadRequest(Runnable parse, String message) {
        QueryException e = assertThrows(QueryException.class, parse::run);
        assertEquals(400, e.status().getCode());
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }
}
