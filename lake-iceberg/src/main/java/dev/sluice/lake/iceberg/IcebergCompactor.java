package dev.sluice.lake.iceberg;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.RewriteFiles;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.GenericFileWriterFactory;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetReaders;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.exceptions.ValidationException;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.OutputFileFactory;
import org.apache.iceberg.parquet.Parquet;
import org.apache.iceberg.util.StructLikeWrapper;

/**
 * Rewrites the small data files of each closed hour partition of an Iceberg table into files of the target size,
 * committed as one Iceberg {@code replace} snapshot per partition ({@link RewriteFiles}). A reader sees the old
 * files or the new ones, never both and never neither: the swap is one atomic catalog update. The rewrite is
 * validated against the snapshot it was planned on, so a concurrent change to the same files (another maintenance
 * run) fails the commit instead of losing or doubling rows; the sink's appends do not conflict with it and Iceberg
 * retries the commit on top of them. Only data files of the current partition spec without delete files are
 * rewritten (the lake's sinks only append); partitions with deletes are left alone.
 */
public final class IcebergCompactor {

    /** Summary property of the snapshots this class commits, so that history shows which commits were compaction. */
    public static final String OPERATION_PROPERTY = "sluice.operation";

    private final IcebergMaintenanceSettings settings;
    private final Clock clock;

    public IcebergCompactor(IcebergMaintenanceSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    /** What one run did to a table. */
    public record Outcome(int partitionsCompacted, int filesRewritten, int filesWritten, int conflicts) {

        static final Outcome NOTHING = new Outcome(0, 0, 0, 0);

        Outcome plus(Outcome other) {
            return new Outcome(partitionsCompacted + other.partitionsCompacted,
                    filesRewritten + other.filesRewritten, filesWritten + other.filesWritten,
                    conflicts + other.conflicts);
        }
    }

    public Outcome compact(Table table) {
        table.refresh();
        Snapshot planned = table.currentSnapshot();
        Optional<HourPartitionField> hour = HourPartitionField.of(table.spec());
        if (planned == null || hour.isEmpty()) {
            return Outcome.NOTHING;
        }
        Outcome outcome = Outcome.NOTHING;
        for (List<DataFile> inputs : closedPartitions(table, planned, hour.get()).values()) {
            if (inputs.size() >= settings.minInputFiles()) {
                outcome = outcome.plus(rewrite(table, planned, inputs));
            }
        }
        return outcome;
    }

    /** The data files of each closed hour partition of the current spec, as of {@code planned}. */
    private Map<StructLikeWrapper, List<DataFile>> closedPartitions(Table table, Snapshot planned,
            HourPartitionField hour) {
        PartitionSpec spec = table.spec();
        long closedBefore = clock.millis() - settings.closedDelay().toMillis();
        Map<StructLikeWrapper, List<DataFile>> partitions = new LinkedHashMap<>();
        Set<StructLikeWrapper> withDeletes = new HashSet<>();
        try (CloseableIterable<FileScanTask> tasks = table.newScan().useSnapshot(planned.snapshotId())
                .planFiles()) {
            for (FileScanTask task : tasks) {
                DataFile file = task.file().copy();
                if (task.spec().specId() != spec.specId()
                        || hour.endMillis(file.partition()).map(end -> end > closedBefore).orElse(true)) {
                    continue;
                }
                StructLikeWrapper key = StructLikeWrapper.forType(spec.partitionType()).set(file.partition());
                if (!task.deletes().isEmpty()) {
                    withDeletes.add(key);
                }
                partitions.computeIfAbsent(key, k -> new ArrayList<>()).add(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot plan the files of " + table.name(), e);
        }
        partitions.keySet().removeAll(withDeletes);
        return partitions;
    }

    private Outcome rewrite(Table table, Snapshot planned, List<DataFile> inputs) {
        List<DataFile> outputs = write(table, inputs);
        RewriteFiles rewrite = table.newRewrite().validateFromSnapshot(planned.snapshotId())
                .set(OPERATION_PROPERTY, "compaction");
        inputs.forEach(rewrite::deleteFile);
        outputs.forEach(rewrite::addFile);
        try {
            rewrite.commit();
        } catch (ValidationException | CommitFailedException e) {
            // Someone else changed these files first: ours were never committed, nobody can see them.
            outputs.forEach(file -> table.io().deleteFile(file.location()));
            return new Outcome(0, 0, 0, 1);
        }
        return new Outcome(1, inputs.size(), outputs.size(), 0);
    }

    /** All rows of {@code inputs} (one partition) into new files of the target size, in input order. */
    private List<DataFile> write(Table table, List<DataFile> inputs) {
        Schema schema = table.schema();
        PartitionSpec spec = table.spec();
        StructLike partition = inputs.get(0).partition();
        GenericFileWriterFactory writers = new GenericFileWriterFactory.Builder(table)
                .dataFileFormat(FileFormat.PARQUET).dataSchema(schema).build();
        OutputFileFactory names = OutputFileFactory.builderFor(table, 0, 0).format(FileFormat.PARQUET)
                .operationId("sluice-compaction-" + UUID.randomUUID()).build();
        List<DataFile> outputs = new ArrayList<>();
        DataWriter<Record> writer = null;
        try {
            for (DataFile input : inputs) {
                try (CloseableIterable<Record> rows = Parquet.read(table.io().newInputFile(input.location()))
                        .project(schema)
                        .createReaderFunc(fileSchema -> GenericParquetReaders.buildReader(schema, fileSchema))
                        .build()) {
                    for (Record row : rows) {
                        if (writer == null) {
                            writer = writers.newDataWriter(names.newOutputFile(spec, partition), spec, partition);
                        }
                        writer.write(row);
                        if (writer.length() >= settings.targetFileBytes()) {
                            writer.close();
                            outputs.add(writer.toDataFile());
                            writer = null;
                        }
                    }
                }
            }
            if (writer != null) {
                writer.close();
                outputs.add(writer.toDataFile());
            }
            return outputs;
        } catch (IOException | RuntimeException e) {
            // Nothing was committed: remove the finished outputs; a half-written one is left to orphan removal.
            outputs.forEach(file -> table.io().deleteFile(file.location()));
            throw e instanceof IOException io ? new UncheckedIOException("cannot rewrite a partition of "
                    + table.name(), io) : (RuntimeException) e;
        }
    }
}
