package dev.sluice.lake.compaction;

import dev.sluice.lake.ParquetRecordWriter;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Writes one hour's snapshot: the rows of the previous snapshot (its delete rows included) and of the hour's
 * changelog, merged in Kafka order, reduced to the latest row per key. Keys whose latest row is a delete go to
 * {@link #deletedKeys the snapshot's _deleted files}, the others to the files readers read. The files are complete objects when this
 * returns, but nothing publishes them: that is the manifest's commit, done by the caller.
 */
final class CurrentStateBuilder {

    private final S3Client s3;
    private final CompactionSettings compaction;
    private final CurrentStateSettings settings;
    private final FaultInjector faults;

    /**
     * The files written.
     *
     * @param outputs     the files readers read, at least one (empty when no key is left)
     * @param rowsIn      rows read
     * @param keys        rows in {@code outputs}, one per key present
     * @param deletedKeys rows in the {@link #deletedKeys} files, one per key whose latest row is a delete
     */
    record Built(List<CompactedFile> outputs, long rowsIn, long keys, long deletedKeys) {
    }

    /** The sub-directory of a snapshot holding its delete rows. */
    static final String DELETED_DIRECTORY = "_deleted";

    CurrentStateBuilder(S3Client s3, CompactionSettings compaction, CurrentStateSettings settings,
                        FaultInjector faults) {
        this.s3 = s3;
        this.compaction = compaction;
        this.settings = settings;
        this.faults = faults;
    }

    Built build(LakePartition target, String hash, List<CurrentStateInput> inputs) throws IOException {
        List<PlannedInput> planned = new ArrayList<>(inputs.size());
        Map<String, CurrentStateInput> byKey = new HashMap<>();
        Map<String, Schema> schemas = new HashMap<>();
        long footerRows = 0;
        for (CurrentStateInput input : inputs) {
            ParquetFiles.Footer footer = ParquetFiles.footer(open(input, S3InputFile.FOOTER_FETCH));
            // One instance per distinct schema: grouping compares each distinct schema once.
            Schema schema = schemas.computeIfAbsent(footer.schema().toString(), json -> footer.schema());
            planned.add(new PlannedInput(new InputSelection.Candidate(input.key(), input.bytes(),
                    PublishedFile.Origin.COMPACTED, input.firstKey()), schema, footer.rows()));
            byKey.put(input.key(), input);
            footerRows += footer.rows();
        }
        List<SchemaGroups.SchemaGroup> groups = SchemaGroups.group(planned);
        List<RowSource> sources = new ArrayList<>();
        List<Integer> groupOfSource = new ArrayList<>();
        for (int g = 0; g < groups.size(); g++) {
            for (PlannedInput input : groups.get(g).inputs()) {
                CurrentStateInput file = byKey.get(input.name());
                sources.add(new ParquetRowSource(file.key(), () -> open(file, S3InputFile.DATA_FETCH),
                        groups.get(g).schema(), file.firstKey()));
                groupOfSource.add(g);
            }
        }
        // Kafka order across all groups: a key's latest row may have another schema than its earlier ones.
        // Delete rows are kept as their key's latest version, so that the next hour can tell an older change from
        // a newer one; they are written apart from the rows readers read.
        SnapshotSpec spec = new SnapshotSpec(settings.spec().keyFields(), settings.spec().deletedField(), true);
        SnapshotReducer reducer = new SnapshotReducer(spec, settings.maxKeys(),
                "sluice.compaction.current-state.max-keys");
        try (RowMerger merger = new RowMerger(sources)) {
            for (var row = merger.next(); row != null; row = merger.next()) {
                reducer.accept(row, merger.lastKey(), groupOfSource.get(merger.lastSource()));
            }
        }
        if (reducer.rowsSeen() != footerRows) {
            throw new IllegalStateException("read " + reducer.rowsSeen() + " rows but the input footers count "
                    + footerRows + "; nothing was published");
        }
        List<SnapshotReducer.Survivor> live = new ArrayList<>();
        List<SnapshotReducer.Survivor> deleted = new ArrayList<>();
        for (SnapshotReducer.Survivor survivor : reducer.survivors()) {
            (reducer.isDelete(survivor.row()) ? deleted : live).add(survivor);
        }
        List<CompactedFile> outputs = write(target, hash, groups, live);
        if (outputs.isEmpty()) {
            outputs = List.of(writeEmpty(target, hash, groups.get(groups.size() - 1).schema()));
        }
        write(deletedKeys(target), hash, groups, deleted);
        return new Built(outputs, reducer.rowsSeen(), live.size(), deleted.size());
    }

    /**
     * Where the delete rows of a snapshot go: {@code _deleted/} in its directory, which engines that read a
     * directory skip (Hive, Spark and Trino hide names starting with {@code _}; a {@code hour=…/*.parquet} glob
     * does not descend). Only the next hour's snapshot reads them: without them, a change older in Kafka order
     * than a delete (late data in a later hour) would bring the deleted key back.
     */
    static LakePartition deletedKeys(LakePartition snapshot) {
        return new LakePartition(snapshot.prefix(), snapshot.topic(), snapshot.path() + "/" + DELETED_DIRECTORY);
    }

    private List<CompactedFile> write(LakePartition directory, String hash, List<SchemaGroups.SchemaGroup> groups,
                                      List<SnapshotReducer.Survivor> rows) throws IOException {
        RollingOutput output = new RollingOutput(s3, compaction.fileSettings(), directory, hash,
                compaction.targetFileBytes(), faults);
        try {
            for (int g = 0; g < groups.size(); g++) {
                output.startGroup(groups.get(g).schema());
                for (SnapshotReducer.Survivor survivor : rows) {
                    if (survivor.group() == g) {
                        output.write(survivor.row(), survivor.key());
                    }
                }
            }
            output.finishFile();
        } catch (IOException | RuntimeException e) {
            output.abort();
            throw e;
        }
        return output.outputs();
    }

    /**
     * A snapshot with no key left is one file without rows: its name carries the plan hash (how a later run tells
     * whether the snapshot is up to date), and a reader of the hour finds a file with the schema instead of none.
     */
    private CompactedFile writeEmpty(LakePartition target, String hash, Schema schema) throws IOException {
        String name = CompactedFileNames.name(target.topicSegment(), hash, 0, compaction.codec());
        ParquetRecordWriter writer = ParquetRecordWriter.open(s3, compaction.fileSettings(), target.directory() + name,
                schema);
        writer.commit();
        long bytes = s3.headObject(b -> b.bucket(compaction.bucket()).key(writer.key())).contentLength();
        faults.at(CompactionStep.OUTPUT_WRITTEN, target);
        return new CompactedFile(name, bytes, 0, 0, 0);
    }

    private S3InputFile open(CurrentStateInput input, int fetch) {
        return new S3InputFile(s3, compaction.bucket(), input.key(), input.bytes(), fetch);
    }
}
