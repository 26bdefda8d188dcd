package dev.sluice.lake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ObjectKeyNamerTest {

    private final ObjectKeyNamer namer = new ObjectKeyNamer("lake/silver");

    @Test
    void namesDataObjectsByTopicPartitionAndZeroPaddedStartOffset() {
        String key = namer.dataKey("silver.orders", "year=2026/month=03/day=07/hour=09", 3, 42, ParquetCodec.SNAPPY);

        assertEquals("lake/silver/silver.orders/year=2026/month=03/day=07/hour=09/"
                + "silver.orders+3+00000000000000000042.snappy.parquet", key);
    }

    @Test
    void namesSortByOffset() {
        String low = namer.dataKey("t", "year=2026/month=01/day=01/hour=00", 0, 9, ParquetCodec.ZSTD);
        String high = namer.dataKey("t", "year=2026/month=01/day=01/hour=00", 0, 10, ParquetCodec.ZSTD);
        assertTrue(low.compareTo(high) < 0);
    }

    @Test
    void codecAppearsInTheName() {
        assertTrue(namer.dataKey("t", "p=1", 0, 0, ParquetCodec.NONE).endsWith(".none.parquet"));
        assertTrue(namer.dataKey("t", "p=1", 0, 0, ParquetCodec.GZIP).endsWith(".gzip.parquet"));
    }

    @Test
    void parsesItsOwnKeys() {
        String key = namer.dataKey("silver.orders", "year=2026/month=03/day=07/hour=09/region=a%2Fb", 12,
                Long.MAX_VALUE, ParquetCodec.ZSTD);

        Optional<DataObjectKey> parsed = namer.parse(key);

        assertEquals(Optional.of(new DataObjectKey("silver.orders", "year=2026/month=03/day=07/hour=09/region=a%2Fb",
                12, Long.MAX_VALUE, ParquetCodec.ZSTD)), parsed);
    }

    @Test
    void ignoresForeignKeys() {
        assertFalse(namer.parse("other/t/year=2026/t+0+00000000000000000000.snappy.parquet").isPresent());
        assertFalse(namer.parse("lake/silver/_sluice/checkpoints/t/0").isPresent());
        assertFalse(namer.parse("lake/silver/t/year=2026/u+0+00000000000000000000.snappy.parquet").isPresent());
        assertFalse(namer.parse("lake/silver/t/year=2026/t+0+0.snappy.parquet").isPresent());
    }

    @Test
    void checkpointsLiveOutsideTopicDirectories() {
        assertEquals("lake/silver/_sluice/checkpoints/silver.orders/7", namer.checkpointKey("silver.orders", 7));
        assertEquals("lake/silver/silver.orders/", namer.topicDirectory("silver.orders"));
    }

    @Test
    void hostileTopicNamesStayInsideThePrefix() {
        String key = namer.dataKey("../../etc", "year=2026/month=01/day=01/hour=00", 0, 0, ParquetCodec.SNAPPY);

        assertTrue(key.startsWith("lake/silver/..%2F..%2Fetc/"), key);
        assertEquals("../../etc", namer.parse(key).orElseThrow().topic());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/lake", "lake/", "a//b", "a/../b", "./a", "..", "a\\b", "a\nb"})
    void rejectsUnsafePrefixes(String prefix) {
        assertThrows(IllegalArgumentException.class, () -> new ObjectKeyNamer(prefix));
    }

    @Test
    void rejectsOverlongPrefixes() {
        assertThrows(IllegalArgumentException.class, () -> new ObjectKeyNamer("p".repeat(201)));
    }

    @Test
    void keysStayWithinS3LimitsInTheWorstCase() {
        ObjectKeyNamer longest = new ObjectKeyNamer("p".repeat(ObjectKeyNamer.MAX_PREFIX_BYTES));
        PartitionPathFormatter formatter = new PartitionPathFormatter(java.time.ZoneOffset.UTC,
                java.util.List.of("a", "b", "c"));
        String value = "é".repeat(1000);
        String path = formatter.format(0, java.util.List.of(value, value, value));

        String key = longest.dataKey("t".repeat(249), path, Integer.MAX_VALUE, Long.MAX_VALUE, ParquetCodec.SNAPPY);

        assertTrue(key.getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= 1024, () -> "" + key.length());
    }
}
