package dev.sluice.lake.compaction;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Compacts one partition:
 * <ol>
 * <li>list the directory, then read the manifest (the published state);</li>
 * <li>choose the inputs ({@link InputSelection}) and read their footers ({@link PartitionPlanner});</li>
 * <li>write the outputs under names derived from inputs and settings ({@link CompactionWriter},
 * {@link CompactedFileNames});</li>
 * <li>commit: replace the manifest, conditionally on the one read, with the outputs published, the inputs gone
 * from it and listed as garbage;</li>
 * <li>collect garbage ({@link GarbageCollector}): delete replaced files whose grace has passed, and orphaned outputs
 * of crashed runs, then drop the deleted files from the manifest's garbage list.</li>
 * </ol>
 * A crash before the commit leaves the published state as it was (outputs are not listed, so not published); a
 * crash after it leaves the new state (inputs are consumed, so not published, whether deleted yet or not). A
 * second run re-plans the same inputs, writes the same names and commits, or finds the commit done and finishes
 * the cleanup.
 */
final class PartitionCompactor {

    private static final Logger LOG = LoggerFactory.getLogger(PartitionCompactor.class);

    private final CompactionSettings settings;
    private final Clock clock;
    private final FaultInjector faults;
    private final SinkCheckpoints checkpoints;
    private final LakePartitionReader reader;
    private final ManifestStore manifests;
    private final PartitionPlanner planner;
    private final CompactionWriter writer;
    private final GarbageCollector garbage;

    /** @param io runs S3 requests of the partition concurrently: footer reads, downloads ahead of the merge */
    PartitionCompactor(S3Client s3, CompactionSettings settings, Clock clock, FaultInjector faults,
                       SinkCheckpoints checkpoints, ExecutorService io) {
        this.settings = settings;
        this.clock = clock;
        this.faults = faults;
        this.checkpoints = checkpoints;
        this.reader = new LakePartitionReader(s3, settings.bucket());
        this.manifests = new ManifestStore(s3, settings.bucket());
        this.planner = new PartitionPlanner(s3, settings, io);
        this.writer = new CompactionWriter(s3, settings, io, faults);
        this.garbage = new GarbageCollector(s3, settings, manifests, clock, faults);
    }

    PartitionResult compact(LakePartition partition) {
        Instant started = clock.instant();
        // What the run has done so far: a failure reports it too.
        PublishedState before = null;
        long generation = 0;
        int pending = 0;
        PartitionPlan plan = null;
        CompactionWriter.Written written = new CompactionWriter.Written(List.of(), 0);
        try {
            PartitionDirectory directory = reader.inspect(partition);
            Optional<ManifestStore.Versioned> current = directory.manifest();
            before = directory.published();
            generation = before.generation();
            Optional<SnapshotSpec> snapshot = Optional.ofNullable(settings.snapshots().get(partition.topic()));
            InputSelection.Result selection = InputSelection.select(directory,
                    kafkaPartition -> checkpoints.nextOffset(partition.prefix(), partition.topic(), kafkaPartition),
                    settings.requireSinkCheckpoint(), settings.targetFileBytes(), snapshot.isPresent());
            pending = selection.pending();
            PartitionResult.Outcome outcome = PartitionResult.Outcome.UNCHANGED;
            if (!selection.inputs().isEmpty()) {
                plan = planner.plan(partition, selection.inputs(), snapshot);
                faults.at(CompactionStep.PLANNED, partition);
                written = writer.write(plan);
                PartitionManifest next = nextManifest(current, plan, written.outputs());
                try {
                    String etag = manifests.replace(partition, next, current);
                    current = Optional.of(new ManifestStore.Versioned(next, etag));
                } catch (ManifestConflictException e) {
                    LOG.warn("compaction lost a race partition={} reason={}", partition, e.getMessage());
                    return result(partition, PartitionResult.Outcome.CONFLICT,
                            "another run committed first; nothing was published by this one", before, generation,
                            plan, new CompactionWriter.Written(List.of(), written.rows()), pending, 0, started);
                }
                generation = next.generation();
                outcome = PartitionResult.Outcome.COMPACTED;
                faults.at(CompactionStep.COMMITTED, partition);
            }
            int deleted = garbage.collect(partition, directory, current);
            PartitionResult result = result(partition, outcome,
                    outcome == PartitionResult.Outcome.UNCHANGED ? selection.reason() : null, before, generation,
                    plan, written, pending, deleted, started);
            if (outcome == PartitionResult.Outcome.COMPACTED) {
                LOG.info("compacted partition={} generation={} inputs={} inputBytes={} outputs={} outputBytes={} "
                                + "rowsIn={} rowsOut={} deleted={} ms={}", partition, result.generation(),
                        result.inputFiles(), result.inputBytes(), result.outputFiles(), result.outputBytes(),
                        result.rowsIn(), result.rowsOut(), result.deletedFiles(), result.duration().toMillis());
            }
            return result;
        } catch (Exception e) {
            int deleted = 0;
            Throwable cause = e;
            if (e instanceof GarbageCollector.PartialCollectionException partial) {
                deleted = partial.deleted();
                cause = partial.getCause();
            }
            LOG.warn("compaction failed partition={} generation={} reason={}", partition, generation, cause.toString());
            return result(partition, PartitionResult.Outcome.FAILED, describe(cause), before, generation, plan,
                    written, pending, deleted, started);
        }
    }

    private PartitionManifest nextManifest(Optional<ManifestStore.Versioned> current, PartitionPlan plan,
                                           List<CompactedFile> outputs) {
        Instant now = clock.instant();
        Set<String> replaced = new HashSet<>();
        plan.inputs().forEach(input -> replaced.add(input.name()));
        List<CompactedFile> files = new ArrayList<>();
        SortedSet<String> consumed = new TreeSet<>();
        List<PartitionManifest.GarbageEntry> garbageEntries = new ArrayList<>();
        long generation = 1;
        if (current.isPresent()) {
            PartitionManifest previous = current.get().manifest();
            previous.files().stream().filter(f -> !replaced.contains(f.name())).forEach(files::add);
            consumed.addAll(previous.consumed());
            garbageEntries.addAll(previous.garbage());
            generation = previous.generation() + 1;
        }
        files.addAll(outputs);
        files.sort(Comparator.comparing(CompactedFile::firstKey).thenComparing(CompactedFile::name));
        for (PlannedInput input : plan.inputs()) {
            if (input.candidate().origin() == PublishedFile.Origin.SINK) {
                consumed.add(input.name());
            }
            garbageEntries.add(new PartitionManifest.GarbageEntry(input.name(), now));
        }
        return new PartitionManifest(generation, now, files, consumed, garbageEntries);
    }

    /**
     * The result of a run that got as far as its arguments say.
     *
     * @param before     the published state read at the start; null if even that failed
     * @param generation the manifest generation the run last read or committed
     * @param plan       the plan; null if the run chose no inputs or failed before planning
     * @param written    what the run wrote; nothing unless the write finished
     */
    private PartitionResult result(LakePartition partition, PartitionResult.Outcome outcome, String detail,
                                   PublishedState before, long generation, PartitionPlan plan,
                                   CompactionWriter.Written written, int pending, int deleted, Instant started) {
        int filesBefore = before == null ? 0 : before.files().size();
        long bytesBefore = before == null ? 0 : before.bytes();
        boolean committed = outcome == PartitionResult.Outcome.COMPACTED
                || (plan != null && before != null && generation > before.generation());
        int inputFiles = plan == null ? 0 : plan.inputs().size();
        long inputBytes = plan == null ? 0 : plan.inputBytes();
        int outputFiles = written.outputs().size();
        long outputBytes = written.outputs().stream().mapToLong(CompactedFile::bytes).sum();
        int filesAfter = committed ? filesBefore - inputFiles + outputFiles : filesBefore;
        long bytesAfter = committed ? bytesBefore - inputBytes + outputBytes : bytesBefore;
        return new PartitionResult(partition.toString(), outcome, detail, generation, filesBefore, bytesBefore,
                filesAfter, bytesAfter, inputFiles, inputBytes, plan == null ? 0 : plan.inputRows(), outputFiles,
                outputBytes, written.rows(), pending, deleted, Duration.between(started, clock.instant()));
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
