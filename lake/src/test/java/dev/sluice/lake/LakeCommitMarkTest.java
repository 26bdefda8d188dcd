package dev.sluice.lake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class LakeCommitMarkTest {

    @Test
    void aMarkWithFreshnessReadsBackAsWritten() {
        LakeCommitMark mark = new LakeCommitMark(1_767_225_600_000L, 42_500);
        String metadata = LakeCommitMark.format(Optional.of(mark));
        assertEquals("sluice-s3-sink;published=1767225600000;max-latency-ms=42500", metadata);
        assertTrue(LakeCommitMark.isMarked(metadata));
        assertEquals(Optional.of(mark), LakeCommitMark.parse(metadata));
    }

    @Test
    void theBareMarkIsTheSinksButCarriesNoFreshness() {
        String metadata = LakeCommitMark.format(Optional.empty());
        assertEquals("sluice-s3-sink", metadata, "what sinks before the freshness mark committed");
        assertTrue(LakeCommitMark.isMarked(metadata));
        assertEquals(Optional.empty(), LakeCommitMark.parse(metadata));
    }

    @Test
    void metadataOfOthersIsNotTheSinks() {
        for (String other : new String[] {null, "", "sluice-s3-sinks", "x;sluice-s3-sink", "connect"}) {
            assertFalse(LakeCommitMark.isMarked(other), String.valueOf(other));
            assertEquals(Optional.empty(), LakeCommitMark.parse(other));
        }
    }

    @Test
    void aMalformedOrIncompleteMarkStillMarksButSaysNothingAboutFreshness() {
        for (String broken : new String[] {"sluice-s3-sink;published=abc;max-latency-ms=1",
                "sluice-s3-sink;published=5", "sluice-s3-sink;max-latency-ms=5", "sluice-s3-sink;"}) {
            assertTrue(LakeCommitMark.isMarked(broken), broken);
            assertEquals(Optional.empty(), LakeCommitMark.parse(broken), broken);
        }
    }

    @Test
    void laterPublicationsKeepTheLatestTimeAndTheLargestLatency() {
        LakeCommitMark first = new LakeCommitMark(1_000, 900);
        assertEquals(new LakeCommitMark(2_000, 900), first.and(2_000, 100));
        assertEquals(new LakeCommitMark(2_000, 1_500), first.and(2_000, 1_500));
    }
}
