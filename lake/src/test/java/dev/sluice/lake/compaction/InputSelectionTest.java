package dev.sluice.lake.compaction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Which files a run takes, and what readers see, from a directory listing and a manifest. */
class InputSelectionTest {

    private static final LakePartition PARTITION = new LakePartition("silver", "silver.orders",
            "year=2026/month=03/day=07/hour=09");
    private static final long TARGET = 1000;
    private static final Instant T = Instant.parse("2026-03-07T12:00:00Z");

    private static String sink(int partition, long offset) {
        return String.format("silver.orders+%d+%020d.snappy.parquet", partition, offset);
    }

    private static String compacted(int index) {
        return "silver.orders+compacted+00000000000000aa+" + String.format("%04d", index) + ".snappy.parquet";
    }

    private static PartitionDirectory directory(Map<String, Long> objects, PartitionManifest manifest) {
        Map<String, PartitionDirectory.ObjectInfo> infos = new LinkedHashMap<>();
        objects.forEach((name, bytes) -> infos.put(name, new PartitionDirectory.ObjectInfo(name, bytes, T)));
        return new PartitionDirectory(PARTITION, infos,
                Optional.ofNullable(manifest).map(m -> new ManifestStore.Versioned(m, "\"etag\"")));
    }

    private static InputSelection.Checkpoints checkpoints(long next0, long next1) {
        return p -> p == 0 ? OptionalLong.of(next0) : p == 1 ? OptionalLong.of(next1) : OptionalLong.empty();
    }

    private static List<String> names(InputSelection.Result result) {
        return result.inputs().stream().map(InputSelection.Candidate::name).toList();
    }

    @Test
    void takesSmallCheckpointedSinkFilesInKafkaOrder() {
        Map<String, Long> objects = new LinkedHashMap<>();
        objects.put(sink(1, 0), 100L);
        objects.put(sink(0, 200), 100L);
        objects.put(sink(0, 0), 100L);
        objects.put(sink(0, 300), 100L);
        objects.put(sink(2, 0), 100L);
        objects.put(sink(0, 100), 600L);
        objects.put("other-topic+0+00000000000000000000.snappy.parquet", 10L);
        objects.put("notes.txt", 10L);

        InputSelection.Result result = InputSelection.select(directory(objects, null), checkpoints(300, 50), true,
                TARGET, false);

        assertEquals(List.of(sink(0, 0), sink(0, 200), sink(1, 0)), names(result),
                "offset 100 is too big, 300 is not checkpointed, partition 2 has no checkpoint");
        assertEquals(2, result.pending());
        assertNull(result.reason());
    }

    @Test
    void withoutTheCheckpointRequirementEveryClosedFileIsFinal() {
        Map<String, Long> objects = Map.of(sink(0, 0), 100L, sink(2, 0), 100L);
        InputSelection.Result result = InputSelection.select(directory(objects, null), p -> OptionalLong.empty(),
                false, TARGET, false);
        assertEquals(List.of(sink(0, 0), sink(2, 0)), names(result));
        assertEquals(0, result.pending());
    }

    @Test
    void needsTwoSmallFilesToMerge() {
        InputSelection.Result one = InputSelection.select(directory(Map.of(sink(0, 0), 100L), null),
                checkpoints(1000, 1000), true, TARGET, false);
        assertTrue(one.inputs().isEmpty());
        assertNotNull(one.reason());

        PartitionManifest manifest = new PartitionManifest(1, T, List.of(new CompactedFile(compacted(0), 900, 9, 0, 0),
                new CompactedFile(compacted(1), 200, 2, 0, 50)), new TreeSet<>(Set.of(sink(0, 0))), List.of());
        Map<String, Long> objects = Map.of(compacted(0), 900L, compacted(1), 200L, sink(0, 100), 100L);
        InputSelection.Result late = InputSelection.select(directory(objects, manifest), checkpoints(1000, 1000), true,
                TARGET, false);
        assertEquals(List.of(compacted(1), sink(0, 100)), names(late), "the small remainder and the late file");
    }

    @Test
    void snapshotModeTakesEverythingButOnlyWhenThereAreNewSinkRows() {
        PartitionManifest manifest = new PartitionManifest(1, T, List.of(new CompactedFile(compacted(0), 900, 9, 0, 0)),
                new TreeSet<>(Set.of(sink(0, 0))), List.of());
        Map<String, Long> compactedOnly = Map.of(compacted(0), 900L, sink(0, 0), 100L);
        assertTrue(InputSelection.select(directory(compactedOnly, manifest), checkpoints(1000, 1000), true, TARGET,
                true).inputs().isEmpty(), "the consumed file that is still there is not an input");

        Map<String, Long> withNew = Map.of(compacted(0), 900L, sink(0, 100), 5000L);
        assertEquals(List.of(compacted(0), sink(0, 100)), names(InputSelection.select(directory(withNew, manifest),
                checkpoints(1000, 1000), true, TARGET, true)), "big files too: any may hold a key's latest row");
    }

    @Test
    void publishedStateIsTheManifestFilesPlusUnconsumedSinkFiles() {
        PartitionManifest manifest = new PartitionManifest(4, T, List.of(new CompactedFile(compacted(0), 900, 9, 0, 0)),
                new TreeSet<>(Set.of(sink(0, 0), sink(0, 100))), List.of());
        Map<String, Long> objects = new LinkedHashMap<>();
        objects.put(sink(0, 0), 100L);
        objects.put(sink(0, 500), 100L);
        objects.put(compacted(0), 900L);
        objects.put(compacted(1), 800L);
        objects.put(PartitionManifest.FILE_NAME, 300L);

        PublishedState state = directory(objects, manifest).published();

        assertEquals(4, state.generation());
        assertEquals(List.of(compacted(0), sink(0, 500)), state.files().stream().map(PublishedFile::name).toList(),
                "the consumed file is hidden although present, the unlisted compacted file is not published");
        assertEquals("silver/silver.orders/year=2026/month=03/day=07/hour=09/" + compacted(0), state.keys().get(0));
        assertEquals(1000, state.bytes());

        PublishedState noManifest = directory(objects, null).published();
        assertEquals(List.of(sink(0, 0), sink(0, 500)), noManifest.files().stream().map(PublishedFile::name).toList());
    }
}
