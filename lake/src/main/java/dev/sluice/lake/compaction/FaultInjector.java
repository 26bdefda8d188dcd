package dev.sluice.lake.compaction;

/**
 * Called by the engine at every {@link CompactionStep}. Production code uses {@link #NONE}; tests throw from it to
 * crash a run at a chosen step and then check what readers see and that a second run completes the work.
 */
@FunctionalInterface
public interface FaultInjector {

    /** Does nothing. */
    FaultInjector NONE = (step, partition) -> {
    };

    /** Called when {@code partition} has reached {@code step}; throwing stops the partition's compaction there. */
    void at(CompactionStep step, LakePartition partition);
}
