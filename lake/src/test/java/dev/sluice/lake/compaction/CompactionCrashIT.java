package dev.sluice.lake.compaction;

import static dev.sluice.lake.compaction.LakeFixture.BUCKET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.embedded.EmbeddedPlatformExtension;
import dev.sluice.embedded.S3Server;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A crash at every step of compaction: readers that follow the published state see exactly the old files or
 * exactly the new ones, with the same rows, and a second run ends in the state an uninterrupted run reaches.
 */
@ExtendWith(EmbeddedPlatformExtension.class)
class CompactionCrashIT {

    private static final String TOPIC = "silver.order_lines";

    private static S3Client s3;
    /** One hour path for every lake of this class, so that file names agree between them. */
    private static String hourPath;
    private static Reference reference;

    /** What an uninterrupted run leaves. */
    private record Reference(List<String> directory, PartitionManifest manifest, List<List<GenericRecord>> files) {
    }

    /** The crash: thrown by the fault injector, it stops the run as a dying process would. */
    private static final class SimulatedCrash extends RuntimeException {
        SimulatedCrash(CompactionStep step) {
            super("simulated crash at " + step);
        }
    }

    @BeforeAll
    static void runUninterrupted(S3Server server) {
        s3 = server.client();
        LakeFixture lake = new LakeFixture(s3, "it-crash/" + UUID.randomUUID());
        hourPath = lake.hourPartition(TOPIC, 4).path();
        LakePartition partition = fill(lake);
        PartitionResult result = engine(lake, FaultInjector.NONE).compact(partition);
        assertEquals(PartitionResult.Outcome.COMPACTED, result.outcome(), String.valueOf(result.detail()));
        assertTrue(result.outputFiles() >= 3, "the crash cases need several outputs: " + result);
        reference = snapshot(lake, partition);
        assertTrue(reference.manifest().garbage().isEmpty());
    }

    /** Ten sink files of two Kafka partitions, all checkpointed. */
    private static LakePartition fill(LakeFixture lake) {
        LakePartition partition = new LakePartition(lake.prefix(), TOPIC, hourPath);
        for (int i = 0; i < 5; i++) {
            lake.sinkFile(partition, 0, i * 120L, 120);
            lake.sinkFile(partition, 2, 5000 + i * 120L, 120);
        }
        lake.checkpoint(TOPIC, 0, 600);
        lake.checkpoint(TOPIC, 2, 5600);
        return partition;
    }

    private static CompactionEngine engine(LakeFixture lake, FaultInjector faults) {
        return new CompactionEngine(s3, CompactionIT.settings(lake.prefix()).build(), Clock.systemUTC(), faults);
    }

    private static Reference snapshot(LakeFixture lake, LakePartition partition) {
        PartitionManifest manifest = new ManifestStore(s3, BUCKET).read(partition).orElseThrow().manifest();
        List<List<GenericRecord>> files = new ArrayList<>();
        for (CompactedFile file : manifest.files()) {
            files.add(lake.rows(partition.directory() + file.name()));
        }
        return new Reference(lake.directoryNames(partition), manifest, files);
    }

    /** Crashes at the first time {@code step} is reached. */
    private static FaultInjector crashAt(CompactionStep step) {
        return (reached, partition) -> {
            if (reached == step) {
                throw new SimulatedCrash(step);
            }
        };
    }

    @ParameterizedTest
    @EnumSource(CompactionStep.class)
    void aCrashLeavesOldOrNewFilesAndASecondRunFinishesTheWork(CompactionStep step) {
        LakeFixture lake = new LakeFixture(s3, "it-crash/" + UUID.randomUUID());
        LakePartition partition = fill(lake);
        PublishedState old = new LakePartitionReader(s3, BUCKET).published(partition);
        List<GenericRecord> rows = lake.publishedRows(partition);

        PartitionResult crashed = engine(lake, crashAt(step)).compact(partition);

        assertEquals(PartitionResult.Outcome.FAILED, crashed.outcome());
        assertTrue(crashed.detail().contains("simulated crash at " + step), crashed.detail());
        PublishedState seen = new LakePartitionReader(s3, BUCKET).published(partition);
        List<String> seenNames = seen.files().stream().map(PublishedFile::name).toList();
        boolean committed = step.compareTo(CompactionStep.COMMITTED) >= 0;
        if (committed) {
            assertEquals(reference.manifest().fileNames().stream().sorted().toList(), seenNames.stream().sorted().toList(),
                    "after the commit readers see exactly the new files");
            assertTrue(seen.files().stream().allMatch(f -> f.origin() == PublishedFile.Origin.COMPACTED));
        } else {
            assertEquals(old, seen, "before the commit readers see exactly the old files");
        }
        LakeFixture.assertSameRows(rows, lake.publishedRows(partition));

        PartitionResult rerun = engine(lake, FaultInjector.NONE).compact(partition);

        assertEquals(committed ? PartitionResult.Outcome.UNCHANGED : PartitionResult.Outcome.COMPACTED,
                rerun.outcome(), String.valueOf(rerun.detail()));
        Reference after = snapshot(lake, partition);
        assertEquals(reference.directory(), after.directory(), "same objects, garbage collected");
        assertEquals(reference.manifest().generation(), after.manifest().generation());
        assertEquals(reference.manifest().files(), after.manifest().files());
        assertEquals(reference.manifest().consumed(), after.manifest().consumed());
        assertTrue(after.manifest().garbage().isEmpty(), after.manifest().garbage().toString());
        assertEquals(reference.files().toString(), after.files().toString(), "same rows in the same files");
    }

    @Test
    void outputsOfACrashedRunWhoseInputsChangedAreCollectedAsOrphans() {
        LakeFixture lake = new LakeFixture(s3, "it-crash/" + UUID.randomUUID());
        LakePartition partition = fill(lake);
        PartitionResult crashed = engine(lake, crashAt(CompactionStep.OUTPUT_WRITTEN)).compact(partition);
        assertEquals(PartitionResult.Outcome.FAILED, crashed.outcome());
        List<String> orphans = lake.directoryNames(partition).stream().filter(CompactedFileNames::isCompacted).toList();
        assertEquals(1, orphans.size(), "the crash left one complete, unpublished output");

        // Before the second run, late rows arrive: the inputs, hence the output names, differ now.
        lake.sinkFile(partition, 0, 600, 30);
        lake.checkpoint(TOPIC, 0, 630);
        List<GenericRecord> rows = lake.publishedRows(partition);
        assertEquals(1230, rows.size(), "the orphan is not published");
        PartitionResult rerun = engine(lake, FaultInjector.NONE).compact(partition);

        assertEquals(PartitionResult.Outcome.COMPACTED, rerun.outcome(), String.valueOf(rerun.detail()));
        assertEquals(11, rerun.inputFiles());
        List<String> left = lake.directoryNames(partition);
        assertFalse(left.contains(orphans.get(0)), "the orphan was deleted");
        PublishedState published = new LakePartitionReader(s3, BUCKET).published(partition);
        List<String> expected = new ArrayList<>(published.files().stream().map(PublishedFile::name).toList());
        expected.add(PartitionManifest.FILE_NAME);
        assertEquals(expected.stream().sorted().toList(), left);
        LakeFixture.assertSameRows(rows, lake.publishedRows(partition));
    }
}
