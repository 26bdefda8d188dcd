package dev.sluice.lake.compaction;

import static dev.sluice.lake.compaction.LakeFixture.BUCKET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sluice.embedded.EmbeddedPlatformExtension;
import dev.sluice.embedded.S3Server;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Retiring a partition on a real S3 server, looked at after every step and stopped after every step: a reader of
 * the published state sees the whole partition before and nothing after the first step, never a part and never the
 * consumed inputs of a compaction coming back; a retirement stopped anywhere is finished by the next one.
 */
@ExtendWith(EmbeddedPlatformExtension.class)
class PartitionRetirementIT {

    private static final String TOPIC = "silver.orders";

    private static S3Client s3;

    @BeforeAll
    static void connect(S3Server server) {
        s3 = server.client();
    }

    /** A compacted partition whose 20 consumed inputs still wait for their grace, plus 10 later sink files. */
    private static LakePartition compactedWithLateFiles(LakeFixture lake) {
        LakePartition partition = lake.hourPartition(TOPIC, 5);
        for (int i = 0; i < 20; i++) {
            lake.sinkFile(partition, 0, i * 10L, 10);
        }
        lake.checkpoint(TOPIC, 0, 200);
        CompactionSettings settings = CompactionSettings.builder(BUCKET).prefixes(List.of(lake.prefix()))
                .gcGrace(Duration.ofDays(1)).build();
        assertEquals(PartitionResult.Outcome.COMPACTED,
                new CompactionEngine(s3, settings).compact(partition).outcome());
        for (int i = 20; i < 30; i++) {
            lake.sinkFile(partition, 0, i * 10L, 10);
        }
        return partition;
    }

    private static LakeFixture newLake() {
        return new LakeFixture(s3, "it-retirement/" + UUID.randomUUID());
    }

    @Test
    void afterEveryStepAReaderSeesNothingOfThePartition() {
        LakeFixture lake = newLake();
        LakePartition partition = compactedWithLateFiles(lake);
        LakePartitionReader reader = new LakePartitionReader(s3, BUCKET);
        assertEquals(11, reader.published(partition).files().size(), "one compacted file and ten sink files");
        assertEquals(32, lake.directoryNames(partition).size(), "with the consumed inputs and the manifest");

        List<PartitionRetirement.Step> steps = new ArrayList<>();
        PartitionRetirement.Result result = new PartitionRetirement(s3, BUCKET, Clock.systemUTC(), step -> {
            steps.add(step);
            assertEquals(List.of(), reader.published(partition).keys(), "published after " + step);
        }).retire(partition);

        assertEquals(List.of(PartitionRetirement.Step.UNPUBLISHED, PartitionRetirement.Step.BATCH_DELETED), steps);
        assertEquals(PartitionRetirement.Outcome.RETIRED, result.outcome());
        assertEquals(32, result.before().objects());
        assertEquals(11, result.before().publishedFiles());
        assertEquals(32, result.deletedObjects());
        assertEquals(List.of(), lake.directoryNames(partition));
        assertEquals(List.of(), reader.published(partition).keys());
    }

    @Test
    void aRetirementStoppedAfterAnyStepPublishesNothingAndTheNextFinishesIt() {
        for (PartitionRetirement.Step crashAt : PartitionRetirement.Step.values()) {
            LakeFixture lake = newLake();
            LakePartition partition = compactedWithLateFiles(lake);
            LakePartitionReader reader = new LakePartitionReader(s3, BUCKET);

            assertThrows(IllegalStateException.class, () -> new PartitionRetirement(s3, BUCKET, Clock.systemUTC(),
                    step -> {
                        if (step == crashAt) {
                            throw new IllegalStateException("crash at " + step);
                        }
                    }).retire(partition));

            assertEquals(List.of(), reader.published(partition).keys(), "published after a crash at " + crashAt);
            List<String> left = lake.directoryNames(partition);
            assertEquals(crashAt == PartitionRetirement.Step.UNPUBLISHED ? 32 : 1, left.size(),
                    "left after a crash at " + crashAt + ": " + left);
            PartitionRetirement.Result again = new PartitionRetirement(s3, BUCKET, Clock.systemUTC())
                    .retire(partition);
            assertEquals(PartitionRetirement.Outcome.RETIRED, again.outcome(), "after a crash at " + crashAt);
            assertEquals(List.of(), lake.directoryNames(partition), "after a crash at " + crashAt);
        }
    }
}
