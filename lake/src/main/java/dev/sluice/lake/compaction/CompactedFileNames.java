package dev.sluice.lake.compaction;

import dev.sluice.lake.ParquetCodec;
import java.util.regex.Pattern;

/**
 * Names of compacted files: {@code <topic>+compacted+<plan>+<nnnn>.<codec>.parquet}, where {@code <plan>} is a hash
 * of the inputs and settings of the run that wrote it and {@code <nnnn>} the file's number in that run. The same
 * inputs and settings give the same names, so a run repeated after a crash overwrites its own earlier outputs
 * instead of adding new ones. The sink's names ({@code <topic>+<partition>+<offset>...}) never match this pattern.
 */
final class CompactedFileNames {

    private static final Pattern NAME =
            Pattern.compile("[^/+]+\\+compacted\\+[0-9a-f]{16}\\+\\d{4,}\\.[a-z]+\\.parquet");

    private CompactedFileNames() {
    }

    static String name(String topicSegment, String planHash, int index, ParquetCodec codec) {
        return topicSegment + "+compacted+" + planHash + '+' + String.format("%04d", index) + '.'
                + codec.configName() + ".parquet";
    }

    static boolean isCompacted(String name) {
        return NAME.matcher(name).matches();
    }
}
