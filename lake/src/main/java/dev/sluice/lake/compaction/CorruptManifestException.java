package dev.sluice.lake.compaction;

/** A partition's manifest cannot be understood; neither readers nor compaction guess what it means. */
public final class CorruptManifestException extends RuntimeException {

    CorruptManifestException(String message, Throwable cause) {
        super(message, cause);
    }
}
