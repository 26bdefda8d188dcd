package dev.sluice.lake.compaction;

/**
 * The manifest changed between reading it and replacing it: another compaction committed first. The losing run
 * publishes nothing; its outputs are left for garbage collection (or are the winner's, when both planned the same).
 */
public final class ManifestConflictException extends Exception {

    ManifestConflictException(String message, Throwable cause) {
        super(message, cause);
    }
}
