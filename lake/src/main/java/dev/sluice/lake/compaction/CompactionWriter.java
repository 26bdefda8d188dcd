package dev.sluice.lake.compaction;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Writes the outputs of a plan: the inputs' rows merged in Kafka order, or (snapshot mode) the latest row per key,
 * into files named after the plan ({@link CompactedFileNames}). Nothing is published here; the outputs are only
 * uploaded, and a failure aborts the file being written.
 */
final class CompactionWriter {

    /** Inputs downloaded ahead of the one being merged. */
    private static final int PREFETCH_WINDOW = 4;

    /**
     * What a plan's write produced.
     *
     * @param outputs the uploaded files, not published yet
     * @param rows    rows written into them
     */
    record Written(List<CompactedFile> outputs, long rows) {
    }

    /** Rows a merge read and wrote; the same unless snapshot mode dropped older versions of keys. */
    private record Rows(long read, long written) {
    }

    /** Makes the row source of an input, read as its group's schema. */
    @FunctionalInterface
    private interface Sources {
        RowSource of(PlannedInput input, SchemaGroups.SchemaGroup group);
    }

    private final S3Client s3;
    private final CompactionSettings settings;
    private final ExecutorService io;
    private final FaultInjector faults;

    CompactionWriter(S3Client s3, CompactionSettings settings, ExecutorService io, FaultInjector faults) {
        this.s3 = s3;
        this.settings = settings;
        this.io = io;
        this.faults = faults;
    }

    /**
     * Writes the plan's outputs.
     *
     * @throws IllegalStateException if the inputs held other rows than their footers count
     */
    Written write(PartitionPlan plan) throws IOException {
        List<String> keys = new ArrayList<>();
        List<Long> sizes = new ArrayList<>();
        List<MergeKey> firstKeys = new ArrayList<>();
        for (PlannedInput input : plan.inputs()) {
            keys.add(plan.partition().directory() + input.name());
            sizes.add(input.candidate().bytes());
            firstKeys.add(input.candidate().firstKey());
        }
        InputPrefetcher prefetcher = new InputPrefetcher(s3, settings.bucket(), io, PREFETCH_WINDOW, keys, sizes,
                firstKeys);
        Map<String, Integer> indexes = new HashMap<>();
        for (int i = 0; i < plan.inputs().size(); i++) {
            indexes.put(plan.inputs().get(i).name(), i);
        }
        Sources sources = (input, group) -> {
            int index = indexes.get(input.name());
            return new ParquetRowSource(input.name(), () -> prefetcher.open(index), group.schema(),
                    input.candidate().firstKey());
        };
        RollingOutput output = new RollingOutput(s3, settings.fileSettings(), plan.partition(), plan.hash(),
                settings.targetFileBytes(), faults);
        try {
            Rows rows = plan.snapshot().isPresent()
                    ? writeSnapshot(plan, plan.snapshot().get(), output, sources)
                    : writeMerged(plan, output, sources);
            output.finishFile();
            if (rows.read() != plan.inputRows()) {
                throw new IllegalStateException("read " + rows.read() + " rows but the input footers count "
                        + plan.inputRows() + "; nothing was published");
            }
            return new Written(output.outputs(), rows.written());
        } catch (IOException | RuntimeException e) {
            output.abort();
            throw e;
        }
    }

    private Rows writeMerged(PartitionPlan plan, RollingOutput output, Sources sources) throws IOException {
        long rows = 0;
        for (SchemaGroups.SchemaGroup group : plan.groups()) {
            output.startGroup(group.schema());
            List<RowSource> groupSources = new ArrayList<>();
            for (PlannedInput input : group.inputs()) {
                groupSources.add(sources.of(input, group));
            }
            try (MergeAhead merged = new MergeAhead(new RowMerger(groupSources), io)) {
                for (MergeAhead.Row row = merged.next(); row != null; row = merged.next()) {
                    output.write(row.record(), row.key());
                    rows++;
                }
            }
        }
        return new Rows(rows, rows);
    }

    private Rows writeSnapshot(PartitionPlan plan, SnapshotSpec spec, RollingOutput output, Sources sources)
            throws IOException {
        List<RowSource> allSources = new ArrayList<>();
        List<Integer> groupOfSource = new ArrayList<>();
        for (int g = 0; g < plan.groups().size(); g++) {
            SchemaGroups.SchemaGroup group = plan.groups().get(g);
            for (PlannedInput input : group.inputs()) {
                allSources.add(sources.of(input, group));
                groupOfSource.add(g);
            }
        }
        // Kafka order across all groups: the latest version of a key may have another schema than earlier ones.
        SnapshotReducer reducer = new SnapshotReducer(spec, settings.snapshotMaxKeys());
        try (MergeAhead merged = new MergeAhead(new RowMerger(allSources), io)) {
            for (MergeAhead.Row row = merged.next(); row != null; row = merged.next()) {
                reducer.accept(row.record(), row.key(), groupOfSource.get(row.source()));
            }
        }
        List<SnapshotReducer.Survivor> survivors = reducer.survivors();
        long rows = 0;
        for (int g = 0; g < plan.groups().size(); g++) {
            output.startGroup(plan.groups().get(g).schema());
            for (SnapshotReducer.Survivor survivor : survivors) {
                if (survivor.group() == g) {
                    output.write(survivor.row(), survivor.key());
                    rows++;
                }
            }
        }
        return new Rows(reducer.rowsSeen(), rows);
    }
}
