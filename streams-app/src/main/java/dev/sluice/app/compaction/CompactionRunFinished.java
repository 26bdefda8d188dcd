package dev.sluice.app.compaction;

/**
 * Published on the compaction thread when a compaction run has ended, however it ended, for the maintenance that
 * runs with compaction (lake retention).
 *
 * @param runId the run
 */
public record CompactionRunFinished(long runId) {
}
