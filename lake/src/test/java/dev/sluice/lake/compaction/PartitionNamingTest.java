package dev.sluice.lake.compaction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.lake.ObjectKeyNamer;
import dev.sluice.lake.ParquetCodec;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Partition paths, hours, topic globs, output names and plan hashes. */
class PartitionNamingTest {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    @Test
    void hourEndsInTheSinkTimeZoneIncludingTheRepeatedHourOfDaylightSavingTime() {
        assertEquals(Optional.of(Instant.parse("2026-03-07T10:00:00Z")),
                PartitionHours.hourEnd("year=2026/month=03/day=07/hour=09/region=EU", ZoneId.of("UTC")));
        assertEquals(Optional.of(Instant.parse("2026-03-07T09:00:00Z")),
                PartitionHours.hourEnd("year=2026/month=03/day=07/hour=09", BERLIN));
        // 2026-10-25 02:00-03:00 occurs twice in Berlin; the directory holds both and ends with the second.
        assertEquals(Optional.of(Instant.parse("2026-10-25T02:00:00Z")),
                PartitionHours.hourEnd("year=2026/month=10/day=25/hour=02", BERLIN));
        assertEquals(Optional.empty(), PartitionHours.hourEnd("region=EU/year=2026/month=03/day=07/hour=09",
                BERLIN));
        assertEquals(Optional.empty(), PartitionHours.hourEnd("year=2026/month=13/day=07/hour=09", BERLIN));
        assertEquals(Instant.parse("2026-10-25T00:00:00Z"),
                PartitionHours.start(LocalDateTime.of(2026, 10, 25, 2, 0), BERLIN));
    }

    @Test
    void topicGlobs() {
        TopicFilter filter = new TopicFilter(List.of("silver.*", "gold.user_session?"));
        assertTrue(filter.matches("silver.orders"));
        assertTrue(filter.matches("gold.user_sessions"));
        assertFalse(filter.matches("gold.user_sessions_v2"));
        assertFalse(filter.matches("bronze.pg.orders"));
        assertFalse(filter.matches("silverXorders"), "the dot is literal");
        assertTrue(new TopicFilter(List.of()).matches("anything"));
    }

    @Test
    void partitionPathsCannotEscapeTheTopicDirectory() {
        for (String path : List.of("", "../x", "year=2026/../../x", "a//b", "/a", "a/", "a\\b", "a/./b")) {
            assertThrows(IllegalArgumentException.class, () -> new LakePartition("silver", "t", path), path);
        }
        LakePartition partition = new LakePartition("silver", "a/b", "year=2026/month=01/day=01/hour=00");
        assertEquals("silver/a%2Fb/year=2026/month=01/day=01/hour=00/", partition.directory());
    }

    @Test
    void compactedNamesAreNeverSinkNames() {
        String name = CompactedFileNames.name("silver.orders", "0123456789abcdef", 7, ParquetCodec.ZSTD);
        assertEquals("silver.orders+compacted+0123456789abcdef+0007.zstd.parquet", name);
        assertTrue(CompactedFileNames.isCompacted(name));
        assertFalse(CompactedFileNames.isCompacted("silver.orders+0+00000000000000000007.zstd.parquet"));
        ObjectKeyNamer namer = new ObjectKeyNamer("silver");
        assertTrue(namer.parse("silver/silver.orders/year=2026/month=01/day=01/hour=00/" + name).isEmpty());
    }

    @Test
    void planHashDependsOnInputsAndSettingsOnly() {
        CompactionSettings settings = CompactionSettings.builder("lake").build();
        List<InputSelection.Candidate> inputs = List.of(
                new InputSelection.Candidate("a", 10, PublishedFile.Origin.SINK, new MergeKey(0, 0)),
                new InputSelection.Candidate("b", 20, PublishedFile.Origin.SINK, new MergeKey(0, 5)));
        String hash = PartitionPlan.hash(inputs, Optional.empty(), settings);
        assertTrue(hash.matches("[0-9a-f]{16}"), hash);
        assertEquals(hash, PartitionPlan.hash(List.copyOf(inputs), Optional.empty(),
                CompactionSettings.builder("lake").build()));
        assertNotEquals(hash, PartitionPlan.hash(inputs.subList(0, 1), Optional.empty(), settings));
        assertNotEquals(hash, PartitionPlan.hash(inputs, Optional.empty(),
                CompactionSettings.builder("lake").targetFileBytes(1 << 20).build()));
        assertNotEquals(hash, PartitionPlan.hash(inputs, Optional.of(SnapshotSpec.of(List.of("id"))), settings));
    }

    @Test
    void settingsNameTheKeyThatIsWrong() {
        assertMessage("target-file-size", () -> CompactionSettings.builder("lake").targetFileBytes(10).build());
        assertMessage("prefixes", () -> CompactionSettings.builder("lake").prefixes(List.of("../x")).build());
        assertMessage("bucket", () -> CompactionSettings.builder(" ").build());
        assertMessage("lookback", () -> CompactionSettings.builder("lake")
                .lookback(java.time.Duration.ofMinutes(5)).build());
        assertMessage("key field", () -> CompactionSettings.builder("lake")
                .snapshots(Map.of("t", SnapshotSpec.of(List.of("a b")))).build());
    }

    private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable build) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build);
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
