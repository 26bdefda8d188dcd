package dev.sluice.lake.compaction;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;

/**
 * Chooses the inputs of one partition's compaction from what its directory holds.
 *
 * <ul>
 * <li>Only published files are inputs: the manifest's compacted files and the sink files it has not consumed.</li>
 * <li>A sink file is an input only once it is final: its start offset is below the sink's checkpoint of its
 * Kafka partition (with {@code requireSinkCheckpoint}). A newer file may still be rewritten by a replay, possibly
 * with other contents under the same name; it stays published as it is and becomes an input of a later run.</li>
 * <li>Merge mode takes the files smaller than half the target size and runs when there are at least two. Larger
 * files are left as they are: rewriting them would not bring them nearer the target.</li>
 * <li>Snapshot mode takes every published file (the latest row of a key may be in any of them) and runs when
 * there is at least one final sink file, i.e. new rows to fold in.</li>
 * </ul>
 */
final class InputSelection {

    /** Looks up the sink checkpoint of a Kafka partition of the partition's topic. */
    @FunctionalInterface
    interface Checkpoints {
        OptionalLong nextOffset(int kafkaPartition);
    }

    /**
     * One chosen input.
     *
     * @param name     file name within the partition directory
     * @param bytes    size
     * @param origin   who wrote it
     * @param firstKey where it starts in Kafka order
     */
    record Candidate(String name, long bytes, PublishedFile.Origin origin, MergeKey firstKey) {
    }

    /**
     * The choice.
     *
     * @param inputs  the inputs, in Kafka order; empty when there is nothing worth doing
     * @param pending published sink files that are not final yet
     * @param reason  why nothing is done, when {@code inputs} is empty
     */
    record Result(List<Candidate> inputs, int pending, String reason) {
    }

    private InputSelection() {
    }

    static Result select(PartitionDirectory directory, Checkpoints checkpoints, boolean requireSinkCheckpoint,
                         long targetFileBytes, boolean snapshot) {
        List<Candidate> sink = new ArrayList<>();
        int pending = 0;
        for (PartitionDirectory.SinkFile file : directory.publishedSinkFiles()) {
            OptionalLong next = checkpoints.nextOffset(file.key().kafkaPartition());
            boolean fin = !requireSinkCheckpoint || (next.isPresent() && file.key().startOffset() < next.getAsLong());
            if (fin) {
                sink.add(new Candidate(file.info().name(), file.info().bytes(), PublishedFile.Origin.SINK,
                        file.firstKey()));
            } else {
                pending++;
            }
        }
        List<Candidate> compacted = directory.compactedFiles().stream()
                .map(f -> new Candidate(f.name(), f.bytes(), PublishedFile.Origin.COMPACTED, f.firstKey()))
                .toList();
        List<Candidate> inputs = new ArrayList<>();
        String reason;
        if (snapshot) {
            if (!sink.isEmpty()) {
                inputs.addAll(sink);
                inputs.addAll(compacted);
            }
            reason = "no final sink file to fold into the snapshot";
        } else {
            long small = targetFileBytes / 2;
            sink.stream().filter(c -> c.bytes() < small).forEach(inputs::add);
            compacted.stream().filter(c -> c.bytes() < small).forEach(inputs::add);
            if (inputs.size() < 2) {
                inputs.clear();
            }
            reason = "fewer than two final files below half the target size";
        }
        inputs.sort(Comparator.comparing(Candidate::firstKey).thenComparing(Candidate::name));
        return new Result(List.copyOf(inputs), pending, inputs.isEmpty() ? reason : null);
    }
}
