package dev.sluice.lake.compaction;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Error;

/**
 * Compacts one partition:
 * <ol>
 * <li>list the directory, then read the manifest (the published state);</li>
 * <li>choose the inputs ({@link InputSelection}) and read their footers;</li>
 * <li>write the outputs under names derived from inputs and settings ({@link CompactedFileNames});</li>
 * <li>commit: replace the manifest, conditionally on the one read, with the outputs published, the inputs gone
 * from it and listed as garbage;</li>
 * <li>collect garbage: delete replaced files whose grace has passed, and orphaned outputs of crashed runs, then
 * drop the deleted files from the manifest's garbage list.</li>
 * </ol>
 * A crash before the commit leaves the published state as it was (outputs are not listed, so not published); a
 * crash after it leaves the new state (inputs are consumed, so not published, whether deleted yet or not). A
 * second run re-plans the same inputs, writes the same names and commits, or finds the commit done and finishes
 * the cleanup.
 */
final class PartitionCompactor {

    private static final Logger LOG = LoggerFactory.getLogger(PartitionCompactor.class);
    /** Concurrent S3 requests of one partition: footer reads while planning, downloads ahead of the merge. */
    private static final int IO_THREADS = 8;
    /** Inputs downloaded ahead of the one being merged. */
    private static final int PREFETCH_WINDOW = 4;
    /** Most keys S3 deletes in one request. */
    private static final int DELETE_BATCH = 1000;

    private final S3Client s3;
    private final CompactionSettings settings;
    private final Clock clock;
    private final FaultInjector faults;
    private final SinkCheckpoints checkpoints;
    private final LakePartitionReader reader;
    private final ManifestStore manifests;

    PartitionCompactor(S3Client s3, CompactionSettings settings, Clock clock, FaultInjector faults,
                       SinkCheckpoints checkpoints) {
        this.s3 = s3;
        this.settings = settings;
        this.clock = clock;
        this.faults = faults;
        this.checkpoints = checkpoints;
        this.reader = new LakePartitionReader(s3, settings.bucket());
        this.manifests = new ManifestStore(s3, settings.bucket());
    }

    /** Counters of one partition's run, filled in as it goes so that a failure still reports them. */
    private static final class Progress {
        ExecutorService io;
        PublishedState before;
        long generation;
        PartitionPlan plan;
        List<CompactedFile> outputs = List.of();
        long rowsOut;
        int pending;
        int deleted;
    }

    PartitionResult compact(LakePartition partition) {
        long started = System.nanoTime();
        Progress progress = new Progress();
        try {
            return run(partition, progress, started);
        } catch (Exception e) {
            LOG.warn("compaction failed partition={} generation={} reason={}", partition, progress.generation,
                    e.toString());
            return result(partition, progress, PartitionResult.Outcome.FAILED, describe(e), started);
        } finally {
            if (progress.io != null) {
                progress.io.shutdownNow();
            }
        }
    }

    private static ExecutorService ioPool() {
        AtomicInteger count = new AtomicInteger();
        return Executors.newFixedThreadPool(IO_THREADS, runnable -> {
            Thread thread = new Thread(runnable, "sluice-compaction-io-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    private PartitionResult run(LakePartition partition, Progress progress, long started) throws IOException {
        PartitionDirectory directory = reader.inspect(partition);
        Optional<ManifestStore.Versioned> current = directory.manifest();
        progress.before = directory.published();
        progress.generation = progress.before.generation();
        Optional<SnapshotSpec> snapshot = Optional.ofNullable(settings.snapshots().get(partition.topic()));
        InputSelection.Result selection = InputSelection.select(directory,
                kafkaPartition -> checkpoints.nextOffset(partition.prefix(), partition.topic(), kafkaPartition),
                settings.requireSinkCheckpoint(), settings.targetFileBytes(), snapshot.isPresent());
        progress.pending = selection.pending();
        PartitionResult.Outcome outcome = PartitionResult.Outcome.UNCHANGED;
        if (!selection.inputs().isEmpty()) {
            progress.io = ioPool();
            progress.plan = plan(partition, selection.inputs(), snapshot, progress.io);
            faults.at(CompactionStep.PLANNED, partition);
            progress.outputs = write(progress.plan, progress);
            PartitionManifest next = nextManifest(current, progress.plan, progress.outputs);
            try {
                String etag = manifests.replace(partition, next, current);
                current = Optional.of(new ManifestStore.Versioned(next, etag));
            } catch (ManifestConflictException e) {
                LOG.warn("compaction lost a race partition={} reason={}", partition, e.getMessage());
                progress.outputs = List.of();
                return result(partition, progress, PartitionResult.Outcome.CONFLICT,
                        "another run committed first; nothing was published by this one", started);
            }
            progress.generation = next.generation();
            outcome = PartitionResult.Outcome.COMPACTED;
            faults.at(CompactionStep.COMMITTED, partition);
        }
        collectGarbage(partition, directory, current, progress);
        PartitionResult result = result(partition, progress, outcome,
                outcome == PartitionResult.Outcome.UNCHANGED ? selection.reason() : null, started);
        if (outcome == PartitionResult.Outcome.COMPACTED) {
            LOG.info("compacted partition={} generation={} inputs={} inputBytes={} outputs={} outputBytes={} "
                            + "rowsIn={} rowsOut={} deleted={} ms={}", partition, result.generation(),
                    result.inputFiles(), result.inputBytes(), result.outputFiles(), result.outputBytes(),
                    result.rowsIn(), result.rowsOut(), result.deletedFiles(), result.duration().toMillis());
        }
        return result;
    }

    /** Reads the inputs' footers, many at a time: each is one small ranged GET. */
    private PartitionPlan plan(LakePartition partition, List<InputSelection.Candidate> candidates,
                               Optional<SnapshotSpec> snapshot, ExecutorService io) throws IOException {
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

    private List<CompactedFile> write(PartitionPlan plan, Progress progress) throws IOException {
        List<String> keys = new ArrayList<>();
        List<Long> sizes = new ArrayList<>();
        List<MergeKey> firstKeys = new ArrayList<>();
        for (PlannedInput input : plan.inputs()) {
            keys.add(plan.partition().directory() + input.name());
            sizes.add(input.candidate().bytes());
            firstKeys.add(input.candidate().firstKey());
        }
        InputPrefetcher prefetcher = new InputPrefetcher(s3, settings.bucket(), progress.io, PREFETCH_WINDOW, keys,
                sizes, firstKeys);
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
            long rowsRead = plan.snapshot().isPresent()
                    ? writeSnapshot(plan, plan.snapshot().get(), output, sources, progress)
                    : writeMerged(plan, output, sources, progress);
            output.finishFile();
            if (rowsRead != plan.inputRows()) {
                throw new IllegalStateException("read " + rowsRead + " rows but the input footers count "
                        + plan.inputRows() + "; nothing was published");
            }
            return output.outputs();
        } catch (IOException | RuntimeException e) {
            output.abort();
            throw e;
        }
    }

    /** Makes the row source of an input, read as its group's schema. */
    @FunctionalInterface
    private interface Sources {
        RowSource of(PlannedInput input, SchemaGroups.SchemaGroup group);
    }

    private long writeMerged(PartitionPlan plan, RollingOutput output, Sources sources, Progress progress)
            throws IOException {
        long rows = 0;
        for (SchemaGroups.SchemaGroup group : plan.groups()) {
            output.startGroup(group.schema());
            List<RowSource> groupSources = new ArrayList<>();
            for (PlannedInput input : group.inputs()) {
                groupSources.add(sources.of(input, group));
            }
            try (MergeAhead merged = new MergeAhead(new RowMerger(groupSources), progress.io)) {
                for (MergeAhead.Row row = merged.next(); row != null; row = merged.next()) {
                    output.write(row.record(), row.key());
                    rows++;
                }
            }
        }
        progress.rowsOut = rows;
        return rows;
    }

    private long writeSnapshot(PartitionPlan plan, SnapshotSpec spec, RollingOutput output, Sources sources,
                               Progress progress) throws IOException {
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
        try (MergeAhead merged = new MergeAhead(new RowMerger(allSources), progress.io)) {
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
        progress.rowsOut = rows;
        return reducer.rowsSeen();
    }

    private PartitionManifest nextManifest(Optional<ManifestStore.Versioned> current, PartitionPlan plan,
                                           List<CompactedFile> outputs) {
        Instant now = clock.instant();
        Set<String> replaced = new HashSet<>();
        plan.inputs().forEach(input -> replaced.add(input.name()));
        List<CompactedFile> files = new ArrayList<>();
        SortedSet<String> consumed = new TreeSet<>();
        List<PartitionManifest.GarbageEntry> garbage = new ArrayList<>();
        long generation = 1;
        if (current.isPresent()) {
            PartitionManifest previous = current.get().manifest();
            previous.files().stream().filter(f -> !replaced.contains(f.name())).forEach(files::add);
            consumed.addAll(previous.consumed());
            garbage.addAll(previous.garbage());
            generation = previous.generation() + 1;
        }
        files.addAll(outputs);
        files.sort(Comparator.comparing(CompactedFile::firstKey).thenComparing(CompactedFile::name));
        for (PlannedInput input : plan.inputs()) {
            if (input.candidate().origin() == PublishedFile.Origin.SINK) {
                consumed.add(input.name());
            }
            garbage.add(new PartitionManifest.GarbageEntry(input.name(), now));
        }
        return new PartitionManifest(generation, now, files, consumed, garbage);
    }

    /**
     * Deletes the manifest's garbage whose grace has passed, and files the listing holds that nothing publishes
     * any more: compacted files no manifest lists (outputs of runs that crashed before committing, then re-planned
     * differently) and consumed sink files that reappeared (a sink replay beyond its checkpoint). Those must be
     * older than the orphan grace, which keeps the outputs of a concurrent run that has not committed yet.
     */
    private void collectGarbage(LakePartition partition, PartitionDirectory directory,
                                Optional<ManifestStore.Versioned> current, Progress progress) {
        if (current.isEmpty()) {
            return;
        }
        PartitionManifest manifest = current.get().manifest();
        Instant now = clock.instant();
        Set<String> published = manifest.fileNames();
        Set<String> listedAsGarbage = new HashSet<>();
        Set<String> deleted = new TreeSet<>();
        for (PartitionManifest.GarbageEntry entry : manifest.garbage()) {
            listedAsGarbage.add(entry.name());
            if (!entry.since().plus(settings.gcGrace()).isAfter(now) && !published.contains(entry.name())) {
                deleted.add(entry.name());
            }
        }
        delete(partition, new ArrayList<>(deleted), progress);
        Instant orphanCutoff = now.minus(settings.orphanGrace());
        List<String> orphans = new ArrayList<>();
        for (PartitionDirectory.ObjectInfo object : directory.objects().values()) {
            String name = object.name();
            boolean unpublished = CompactedFileNames.isCompacted(name) || manifest.consumed().contains(name);
            if (unpublished && !published.contains(name) && !listedAsGarbage.contains(name)
                    && !object.lastModified().isAfter(orphanCutoff)) {
                orphans.add(name);
            }
        }
        delete(partition, orphans, progress);
        if (!deleted.isEmpty()) {
            try {
                manifests.replace(partition, manifest.withoutGarbage(deleted), current);
                faults.at(CompactionStep.GARBAGE_RECORDED, partition);
            } catch (ManifestConflictException e) {
                // Another run committed meanwhile; its manifest still lists what we deleted, and its next garbage
                // collection deletes it again, which is harmless.
                LOG.debug("garbage list not updated partition={} reason={}", partition, e.getMessage());
            }
        }
    }

    /** Deletes files of the partition, many per request; a key that is gone already counts as deleted. */
    private void delete(LakePartition partition, List<String> names, Progress progress) {
        for (int from = 0; from < names.size(); from += DELETE_BATCH) {
            List<ObjectIdentifier> batch = names.subList(from, Math.min(names.size(), from + DELETE_BATCH)).stream()
                    .map(name -> ObjectIdentifier.builder().key(partition.directory() + name).build()).toList();
            DeleteObjectsResponse response = s3.deleteObjects(b -> b.bucket(settings.bucket())
                    .delete(d -> d.objects(batch).quiet(true)));
            List<S3Error> errors = response.errors().stream().filter(e -> !"NoSuchKey".equals(e.code())).toList();
            if (!errors.isEmpty()) {
                throw new IllegalStateException("deleting " + errors.size() + " of " + batch.size() + " files failed, "
                        + "first " + errors.get(0).key() + ": " + errors.get(0).code() + " " + errors.get(0).message());
            }
            progress.deleted += batch.size();
            faults.at(CompactionStep.GARBAGE_DELETED, partition);
        }
    }

    private PartitionResult result(LakePartition partition, Progress progress, PartitionResult.Outcome outcome,
                                   String detail, long started) {
        PublishedState before = progress.before;
        int filesBefore = before == null ? 0 : before.files().size();
        long bytesBefore = before == null ? 0 : before.bytes();
        boolean committed = outcome == PartitionResult.Outcome.COMPACTED
                || (progress.plan != null && before != null && progress.generation > before.generation());
        PartitionPlan plan = progress.plan;
        int inputFiles = plan == null ? 0 : plan.inputs().size();
        long inputBytes = plan == null ? 0 : plan.inputBytes();
        int outputFiles = progress.outputs.size();
        long outputBytes = progress.outputs.stream().mapToLong(CompactedFile::bytes).sum();
        int filesAfter = committed ? filesBefore - inputFiles + outputFiles : filesBefore;
        long bytesAfter = committed ? bytesBefore - inputBytes + outputBytes : bytesBefore;
        return new PartitionResult(partition.toString(), outcome, detail, progress.generation, filesBefore,
                bytesBefore, filesAfter, bytesAfter, inputFiles, inputBytes, plan == null ? 0 : plan.inputRows(),
                outputFiles, outputBytes, progress.rowsOut, progress.pending, progress.deleted,
                Duration.ofNanos(System.nanoTime() - started));
    }

    private static String describe(Throwable e) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = e; t != null && text.length() < 1000; t = t.getCause()) {
            if (!text.isEmpty()) {
                text.append(" <- ");
            }
            text.append(t.getClass().getSimpleName());
            if (t.getMessage() != null) {
                text.append(": ").append(t.getMessage());
            }
        }
        return text.toString();
    }
}
