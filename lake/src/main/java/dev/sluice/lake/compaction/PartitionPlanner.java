package dev.sluice.lake.compaction;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import org.apache.avro.Schema;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Plans the compaction of a partition's chosen inputs: reads their footers (rows and schema), groups them by
 * output schema and hashes what the outputs will depend on.
 */
final class PartitionPlanner {

    private final S3Client s3;
    private final CompactionSettings settings;
    private final Executor io;

    PartitionPlanner(S3Client s3, CompactionSettings settings, Executor io) {
        this.s3 = s3;
        this.settings = settings;
        this.io = io;
    }

    /** Reads the inputs' footers, many at a time: each is one small ranged GET. */
    PartitionPlan plan(LakePartition partition, List<InputSelection.Candidate> candidates,
                       Optional<SnapshotSpec> snapshot) throws IOException {
        List<CompletableFuture<ParquetFiles.Footer>> footers = new ArrayList<>(candidates.size());
        for (InputSelection.Candidate candidate : candidates) {
            S3InputFile file = new S3InputFile(s3, settings.bucket(), partition.directory() + candidate.name(),
                    candidate.bytes(), S3InputFile.FOOTER_FETCH);
            footers.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return ParquetFiles.footer(file);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }, io));
        }
        List<PlannedInput> inputs = new ArrayList<>(candidates.size());
        Map<String, Schema> schemas = new HashMap<>();
        for (int i = 0; i < candidates.size(); i++) {
            ParquetFiles.Footer footer;
            try {
                footer = footers.get(i).join();
            } catch (CompletionException e) {
                if (e.getCause() instanceof UncheckedIOException unchecked) {
                    throw unchecked.getCause();
                }
                throw new IOException("Reading the footer of " + candidates.get(i).name() + " failed", e.getCause());
            }
            // One instance per distinct schema: grouping then compares each distinct schema once.
            Schema schema = schemas.computeIfAbsent(footer.schema().toString(), json -> footer.schema());
            inputs.add(new PlannedInput(candidates.get(i), schema, footer.rows()));
        }
        return new PartitionPlan(partition, List.copyOf(inputs), SchemaGroups.group(inputs), snapshot,
                PartitionPlan.hash(candidates, snapshot, settings));
    }
}
