package dev.sluice.lake.compaction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.lake.ParquetCodec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Settings, plan hashes, the location and the manifests of current-state snapshots. */
class CurrentStatePiecesTest {

    private static final CompactionSettings COMPACTION = CompactionSettings.builder("lake").build();
    private static final SnapshotSpec SPEC = SnapshotSpec.of(List.of(CurrentStateSettings.KAFKA_KEY_FIELD));
    private static final LakePartition SNAPSHOT = new LakePartition("gold-current", "gold.customer_totals",
            "year=2026/month=03/day=07/hour=02");

    private static CurrentStateInput input(String key, long bytes) {
        return new CurrentStateInput(key, bytes, new MergeKey(0, 0));
    }

    @Test
    void snapshotsGoUnderTheSiblingPrefixWithTheirDeleteRowsInAHiddenSubdirectory() {
        assertEquals("gold-current", CurrentStateSettings.locationOf("gold"));
        assertEquals("lake/gold-current", CurrentStateSettings.locationOf("lake/gold"));
        assertEquals("gold-current/gold.customer_totals/year=2026/month=03/day=07/hour=02/_deleted/",
                CurrentStateBuilder.deletedKeys(SNAPSHOT).directory());
        assertEquals("year=2026/month=03/day=07/hour=02",
                CurrentStatePublisher.hourPath("year=2026/month=03/day=07/hour=02/region=EU"));
    }

    @Test
    void settingsAreCheckedWithTheKeyNamed() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new CurrentStateSettings(List.of(), SPEC,
                Duration.ofMinutes(30), 10)).getMessage().contains("current-state.retention"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new CurrentStateSettings(List.of(), SPEC,
                Duration.ofDays(1), 0)).getMessage().contains("current-state.max-keys"));
        assertThrows(IllegalArgumentException.class, () -> new CurrentStateSettings(List.of(),
                new SnapshotSpec(List.of("id"), "__deleted", true), Duration.ofDays(1), 10));
        assertThrows(IllegalArgumentException.class, () -> new CurrentStatePublisher(null,
                CompactionSettings.builder("lake").prefixes(List.of("gold", "gold-current")).build(),
                CurrentStateSettings.of(List.of("gold.*"))), "compacting the snapshots would rewrite them");
        CurrentStateSettings defaults = CurrentStateSettings.of(List.of("gold.*"));
        assertEquals(List.of("__kafka_key"), defaults.spec().keyFields());
        assertEquals("__deleted", defaults.spec().deletedField());
        assertEquals(Duration.ofDays(3), defaults.retention());
    }

    @Test
    void thePlanHashFollowsThePreviousSnapshotTheChangesAndTheSettings() {
        List<CurrentStateInput> previous = List.of(input("gold-current/t/h1/a.parquet", 10));
        List<CurrentStateInput> changes = List.of(input("gold/t/h2/t+0+0.snappy.parquet", 20));
        String hash = CurrentStatePlan.hash(previous, changes, SPEC, COMPACTION);

        assertEquals(16, hash.length());
        assertEquals(hash, CurrentStatePlan.hash(previous, changes, SPEC, COMPACTION), "deterministic");
        assertNotEquals(hash, CurrentStatePlan.hash(List.of(input("gold-current/t/h1/b.parquet", 10)), changes,
                SPEC, COMPACTION), "a rebuilt predecessor");
        assertNotEquals(hash, CurrentStatePlan.hash(previous, List.of(changes.get(0),
                input("gold/t/h2/t+0+9.snappy.parquet", 5)), SPEC, COMPACTION), "late data");
        assertNotEquals(hash, CurrentStatePlan.hash(List.of(), previous, SPEC, COMPACTION),
                "a previous file is not a change");
        assertNotEquals(hash, CurrentStatePlan.hash(previous, changes, SnapshotSpec.of(List.of("id")), COMPACTION));
        assertNotEquals(hash, CurrentStatePlan.hash(previous, changes, SPEC,
                CompactionSettings.builder("lake").codec(ParquetCodec.ZSTD).build()));
    }

    @Test
    void thePublishedHashIsReadFromTheFileNames() {
        String name = CompactedFileNames.name(SNAPSHOT.topicSegment(), "0123456789abcdef", 0, ParquetCodec.SNAPPY);
        PartitionManifest manifest = new PartitionManifest(1, Instant.EPOCH,
                List.of(new CompactedFile(name, 100, 0, 0, 0)), new TreeSet<>(), List.of());

        assertEquals(Optional.of("0123456789abcdef"), CurrentStatePlan.hashOf(manifest));
        assertEquals(Optional.empty(), CurrentStatePlan.hashOfName("gold.customer_totals+0+00000000000000000012"
                + ".snappy.parquet"), "a sink file carries no plan");
        assertEquals(Optional.empty(), CurrentStatePlan.hashOf(new PartitionManifest(1, Instant.EPOCH, List.of(),
                new TreeSet<>(), List.of())));
    }

    @Test
    void aRebuiltSnapshotsFilesBecomeGarbageOfTheNextGeneration() {
        Instant first = Instant.parse("2026-03-07T03:00:00Z");
        CompactedFile old = new CompactedFile("t+compacted+0000000000000001+0000.snappy.parquet", 10, 3, 0, 1);
        CompactedFile rebuilt = new CompactedFile("t+compacted+0000000000000002+0000.snappy.parquet", 12, 4, 0, 1);

        PartitionManifest created = CurrentStateFiles.nextManifest(Optional.empty(), List.of(old), first);
        assertEquals(1, created.generation());
        assertTrue(created.garbage().isEmpty());
        assertTrue(created.consumed().isEmpty(), "a snapshot consumes no sink file");

        Instant later = first.plus(Duration.ofHours(1));
        PartitionManifest replaced = CurrentStateFiles.nextManifest(
                Optional.of(new ManifestStore.Versioned(created, "etag")), List.of(rebuilt), later);
        assertEquals(2, replaced.generation());
        assertEquals(List.of(rebuilt), replaced.files());
        assertEquals(List.of(new PartitionManifest.GarbageEntry(old.name(), later)), replaced.garbage());
    }
}
