package dev.sluice.lake.compaction;

import java.time.Instant;
import java.util.List;

/**
 * What one compaction run did.
 *
 * @param startedAt          when it started
 * @param finishedAt         when it ended
 * @param partitionsExamined closed partitions looked at
 * @param partitions         results of the partitions where something happened (compacted, failed, lost a race
 *                           or had garbage deleted); unchanged partitions are only counted
 * @param interrupted        whether the run was stopped before it looked at every partition
 * @param error              why the run could not go on (e.g. listing the bucket failed); null otherwise
 */
public record CompactionRunReport(Instant startedAt, Instant finishedAt, int partitionsExamined,
                                  List<PartitionResult> partitions, boolean interrupted, String error) {

    public CompactionRunReport {
        partitions = List.copyOf(partitions);
    }

    /** Partitions with the given outcome. */
    public long count(PartitionResult.Outcome outcome) {
        return partitions.stream().filter(p -> p.outcome() == outcome).count();
    }

    /** Whether every partition went through without error. */
    public boolean succeeded() {
        return error == null && !interrupted && count(PartitionResult.Outcome.FAILED) == 0;
    }
}
