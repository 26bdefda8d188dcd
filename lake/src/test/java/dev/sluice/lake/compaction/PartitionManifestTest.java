package dev.sluice.lake.compaction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class PartitionManifestTest {

    private static final Instant T = Instant.parse("2026-03-07T10:15:30Z");

    private static PartitionManifest manifest() {
        return new PartitionManifest(3, T,
                List.of(new CompactedFile("t+compacted+0123456789abcdef+0000.zstd.parquet", 1000, 10, 0, 5),
                        new CompactedFile("t+compacted+0123456789abcdef+0001.zstd.parquet", 900, 9, 2, 0)),
                new TreeSet<>(Set.of("t+0+00000000000000000005.snappy.parquet")),
                List.of(new PartitionManifest.GarbageEntry("t+0+00000000000000000005.snappy.parquet", T)));
    }

    @Test
    void roundTripsThroughJson() {
        PartitionManifest manifest = manifest();
        assertEquals(manifest, PartitionManifest.fromJson(manifest.toJson()));
    }

    @Test
    void dropsDeletedGarbageOnly() {
        PartitionManifest manifest = manifest();
        PartitionManifest cleaned = manifest.withoutGarbage(Set.of("t+0+00000000000000000005.snappy.parquet"));
        assertTrue(cleaned.garbage().isEmpty());
        assertEquals(manifest.files(), cleaned.files());
        assertEquals(manifest.consumed(), cleaned.consumed(), "consumed files stay consumed forever");
        assertEquals(manifest.generation(), cleaned.generation());
    }

    @Test
    void garbageExpiresAfterItsGraceUnlessPublishedAgain() {
        String republished = "t+compacted+0123456789abcdef+0000.zstd.parquet";
        String old = "t+0+00000000000000000005.snappy.parquet";
        String young = "t+0+00000000000000000009.snappy.parquet";
        PartitionManifest manifest = new PartitionManifest(3, T,
                List.of(new CompactedFile(republished, 1000, 10, 0, 5)), new TreeSet<>(),
                List.of(new PartitionManifest.GarbageEntry(old, T.minus(Duration.ofHours(1))),
                        new PartitionManifest.GarbageEntry(young, T.minus(Duration.ofMinutes(59))),
                        new PartitionManifest.GarbageEntry(republished, T.minus(Duration.ofHours(2)))));

        assertEquals(Set.of(old), manifest.expiredGarbage(Duration.ofHours(1), T),
                "exactly one grace old counts as expired; a published name never does");
        assertEquals(Set.of(old, young, republished), manifest.garbageNames());
    }

    @Test
    void rejectsAnotherFormatAndMalformedContent() {
        String json = new String(manifest().toJson(), StandardCharsets.UTF_8);
        assertThrows(IllegalArgumentException.class,
                () -> PartitionManifest.fromJson(json.replace("\"format\" : 1", "\"format\" : 2").getBytes()));
        assertThrows(IllegalArgumentException.class, () -> PartitionManifest.fromJson("[]".getBytes()));
        assertThrows(IllegalArgumentException.class, () -> PartitionManifest.fromJson("{".getBytes()));
        assertThrows(IllegalArgumentException.class,
                () -> PartitionManifest.fromJson(json.replace("\"bytes\" : 1000", "\"bytes\" : -1").getBytes()));
    }

    @Test
    void namesCannotLeaveThePartitionDirectory() {
        for (String name : List.of("../x.parquet", "a/b.parquet", "..parquet", "x.json", "a\\b.parquet")) {
            assertThrows(IllegalArgumentException.class, () -> new PartitionManifest(1, T,
                    List.of(new CompactedFile(name, 1, 1, 0, 0)), new TreeSet<>(), List.of()), name);
            String json = new String(manifest().toJson(), StandardCharsets.UTF_8)
                    .replace("t+compacted+0123456789abcdef+0000.zstd.parquet", name.replace("\\", "\\\\"));
            assertThrows(IllegalArgumentException.class, () -> PartitionManifest.fromJson(json.getBytes()), name);
        }
    }
}
