package dev.sluice.lake.compaction;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.apache.parquet.Version;

/**
 * What one compaction of a partition will do: read these inputs, write their rows (or, in snapshot mode, the
 * latest row per key) into files named after {@link #hash()}, then publish them in place of the inputs.
 *
 * @param partition the partition
 * @param inputs    the inputs, in Kafka order
 * @param groups    the inputs by output schema
 * @param snapshot  the snapshot spec in snapshot mode
 * @param hash      16 hex digits identifying inputs and settings; it names the outputs
 */
record PartitionPlan(LakePartition partition, List<PlannedInput> inputs, List<SchemaGroups.SchemaGroup> groups,
                     Optional<SnapshotSpec> snapshot, String hash) {

    long inputBytes() {
        return inputs.stream().mapToLong(input -> input.candidate().bytes()).sum();
    }

    long inputRows() {
        return inputs.stream().mapToLong(PlannedInput::rows).sum();
    }

    /**
     * The hash of everything the outputs depend on: the inputs (by name and size: committed sink files and
     * compacted files never change under their names), the settings that shape the files and the Parquet writer's
     * version. Two runs that get the same hash write the same bytes under the same names, so one overwriting the
     * other's output (a re-run after a crash, or a run racing another) never changes a published file.
     */
    static String hash(List<InputSelection.Candidate> inputs, Optional<SnapshotSpec> snapshot,
                       CompactionSettings settings) {
        StringBuilder text = new StringBuilder("sluice-compaction/1 ").append(Version.FULL_VERSION).append('\n');
        text.append("target=").append(settings.targetFileBytes())
                .append(" codec=").append(settings.codec().configName())
                .append(" rowGroup=").append(settings.rowGroupBytes())
                .append(" page=").append(settings.pageBytes()).append('\n');
        snapshot.ifPresent(spec -> text.append("snapshot=").append(String.join(",", spec.keyFields()))
                .append(" deleted=").append(spec.deletedField())
                .append(" keepDeletes=").append(spec.keepDeleteMarkers()).append('\n'));
        for (InputSelection.Candidate input : inputs) {
            text.append(input.name()).append(' ').append(input.bytes()).append('\n');
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
