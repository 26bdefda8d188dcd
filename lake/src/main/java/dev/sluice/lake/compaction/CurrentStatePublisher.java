package dev.sluice.lake.compaction;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Publishes the current state of changelog topics (docs/lake/current-state.md): for every closed hour H with
 * changelog rows, snapshot(H) = the latest row per key of snapshot(previous hour with rows) and the rows of H, in
 * Kafka order, deleted keys dropped. Each snapshot is an hour directory under the prefix's {@code -current}
 * sibling with a partition manifest, so it is published by one conditional PUT like a compaction: a crash at any
 * point leaves either no snapshot of the hour or a whole one, and a re-run writes the same file names.
 *
 * <p>Hours are done oldest first and only after their predecessor's snapshot is published; a failure stops the
 * topic's chain at that hour until a later run. A snapshot whose inputs changed since (late data in its hour, the
 * hour compacted again, a rebuilt predecessor) has another plan hash and is rebuilt in place, and so are the later
 * ones. Snapshots older than the retention are deleted except the newest of them, which the chain starts from.
 */
public final class CurrentStatePublisher {

    private static final Logger LOG = LoggerFactory.getLogger(CurrentStatePublisher.class);
    /** Outcomes after which the hour's snapshot is published and up to date. */
    private static final Set<CurrentStateResult.Outcome> CHAIN_GOES_ON = EnumSet.of(
            CurrentStateResult.Outcome.PUBLISHED, CurrentStateResult.Outcome.REPLACED,
            CurrentStateResult.Outcome.UNCHANGED);

    private final S3Client s3;
    private final CompactionSettings compaction;
    private final CurrentStateSettings settings;
    private final Clock clock;
    private final FaultInjector faults;
    private final TopicFilter topics;
    private final PartitionDiscovery discovery;
    private final LakePartitionReader reader;
    private final ManifestStore manifests;
    private final CurrentStateBuilder builder;
    private final CurrentStateFiles files;

    public CurrentStatePublisher(S3Client s3, CompactionSettings compaction, CurrentStateSettings settings) {
        this(s3, compaction, settings, Clock.systemUTC(), FaultInjector.NONE);
    }

    /** A publisher with its own clock and a fault injector, for tests. */
    public CurrentStatePublisher(S3Client s3, CompactionSettings compaction, CurrentStateSettings settings,
                                 Clock clock, FaultInjector faults) {
        for (String prefix : compaction.prefixes()) {
            if (prefix.endsWith(CurrentStateSettings.LOCATION_SUFFIX)) {
                throw new IllegalArgumentException("prefixes: '" + prefix + "' is where current-state snapshots go; "
                        + "compacting it would rewrite them");
            }
            CurrentStateSettings.locationOf(prefix);
        }
        this.s3 = s3;
        this.compaction = compaction;
        this.settings = settings;
        this.clock = clock;
        this.faults = faults;
        this.topics = new TopicFilter(settings.topics());
        this.discovery = new PartitionDiscovery(s3, compaction.bucket(), compaction.zone());
        this.reader = new LakePartitionReader(s3, compaction.bucket());
        this.manifests = new ManifestStore(s3, compaction.bucket());
        this.builder = new CurrentStateBuilder(s3, compaction, settings, faults);
        this.files = new CurrentStateFiles(s3, compaction.bucket(), faults);
    }

    /** The settings. */
    public CurrentStateSettings settings() {
        return settings;
    }

    /** Publishes the snapshots of every closed hour that lacks an up-to-date one; stops early when interrupted. */
    public CurrentStateReport publish() {
        return publish(result -> {
        });
    }

    /** Like {@link #publish()}, telling {@code progress} about every snapshot where something happened. */
    public CurrentStateReport publish(Consumer<CurrentStateResult> progress) {
        Instant started = clock.instant();
        List<CurrentStateResult> results = new ArrayList<>();
        Consumer<CurrentStateResult> report = result -> {
            results.add(result);
            progress.accept(result);
        };
        if (settings.topics().isEmpty()) {
            return new CurrentStateReport(started, clock.instant(), results, false, null);
        }
        try {
            for (String prefix : compaction.prefixes()) {
                for (String topic : discovery.topics(prefix)) {
                    if (!topics.matches(topic)) {
                        continue;
                    }
                    if (!new TopicChain(prefix, topic).publish(report)) {
                        LOG.info("current-state run interrupted published={}", results.size());
                        return new CurrentStateReport(started, clock.instant(), results, true, null);
                    }
                }
            }
        } catch (SdkException | IllegalStateException e) {
            LOG.warn("current-state run stopped reason={}", e.toString());
            return new CurrentStateReport(started, clock.instant(), results, false,
                    "listing the lake failed: " + e.getMessage());
        }
        CurrentStateReport done = new CurrentStateReport(started, clock.instant(), results, false, null);
        LOG.info("current-state run finished published={} replaced={} expired={} failed={}",
                done.count(CurrentStateResult.Outcome.PUBLISHED), done.count(CurrentStateResult.Outcome.REPLACED),
                done.count(CurrentStateResult.Outcome.EXPIRED), done.count(CurrentStateResult.Outcome.FAILED));
        return done;
    }

    /** The snapshots of one topic, oldest hour first. */
    private final class TopicChain {
        private final String prefix;
        private final String topic;
        private final String location;
        private final SinkCheckpoints checkpoints;
        /** The snapshot directories found, by hour path; a directory without manifest holds no snapshot. */
        private final TreeMap<String, LakePartition> snapshots = new TreeMap<>();
        private final Map<String, Optional<ManifestStore.Versioned>> published = new HashMap<>();

        TopicChain(String prefix, String topic) {
            this.prefix = prefix;
            this.topic = topic;
            this.location = CurrentStateSettings.locationOf(prefix);
            this.checkpoints = new SinkCheckpoints(s3, compaction.bucket());
        }

        /** Publishes what is due; false when the thread was interrupted. */
        boolean publish(Consumer<CurrentStateResult> report) {
            Instant now = clock.instant();
            for (LakePartition found : discovery.partitions(location, topic, Instant.MAX, Instant.MIN)) {
                String hour = hourPath(found.path());
                snapshots.put(hour, new LakePartition(location, topic, hour));
            }
            Instant retentionCutoff = now.minus(settings.retention());
            Optional<String> anchor = snapshots.descendingKeySet().stream()
                    .filter(hour -> !hourEnd(hour).isAfter(retentionCutoff) && manifest(hour).isPresent())
                    .findFirst();
            TreeMap<String, List<LakePartition>> hours = new TreeMap<>();
            for (LakePartition partition : discovery.partitions(prefix, topic,
                    now.minus(compaction.closedDelay()), now.minus(compaction.lookback()))) {
                String hour = hourPath(partition.path());
                if (anchor.isEmpty() || hour.compareTo(anchor.get()) > 0) {
                    hours.computeIfAbsent(hour, h -> new ArrayList<>()).add(partition);
                }
            }
            for (Map.Entry<String, List<LakePartition>> hour : hours.entrySet()) {
                if (Thread.currentThread().isInterrupted()) {
                    return false;
                }
                Optional<CurrentStateResult> result = publishHour(hour.getKey(), hour.getValue());
                result.ifPresent(report);
                if (result.isPresent() && !CHAIN_GOES_ON.contains(result.get().outcome())) {
                    // The next hour builds on this one's snapshot, which is missing or may be out of date.
                    break;
                }
            }
            if (anchor.isPresent()) {
                for (LakePartition expired : snapshots.headMap(anchor.get()).values()) {
                    Instant started = clock.instant();
                    int deleted = files.expire(expired);
                    LOG.info("current-state snapshot expired snapshot={} deleted={}", expired, deleted);
                    report.accept(new CurrentStateResult(expired.toString(), CurrentStateResult.Outcome.EXPIRED, null,
                            0, 0, 0, 0, 0, deleted, Duration.between(started, clock.instant())));
                }
            }
            return true;
        }

        /** The snapshot of one hour; empty when it was up to date and nothing was cleaned up. */
        private Optional<CurrentStateResult> publishHour(String hour, List<LakePartition> changelog) {
            Instant started = clock.instant();
            LakePartition target = new LakePartition(location, topic, hour);
            try {
                List<CurrentStateInput> changes = new ArrayList<>();
                for (LakePartition partition : changelog) {
                    Optional<String> waiting = addPublished(partition, changes);
                    if (waiting.isPresent()) {
                        return Optional.of(CurrentStateResult.of(target, CurrentStateResult.Outcome.WAITING,
                                waiting.get(), Duration.between(started, clock.instant())));
                    }
                }
                List<CurrentStateInput> previous = new ArrayList<>();
                Optional<String> before = snapshots.headMap(hour, false).descendingKeySet().stream()
                        .filter(h -> manifest(h).isPresent()).findFirst();
                before.ifPresent(h -> {
                    LakePartition snapshot = snapshots.get(h);
                    PartitionManifest manifest = manifest(h).get().manifest();
                    for (CompactedFile file : manifest.files()) {
                        previous.add(new CurrentStateInput(snapshot.directory() + file.name(), file.bytes(),
                                file.firstKey()));
                    }
                    String deletedKeys = CurrentStateBuilder.deletedKeys(snapshot).directory();
                    for (PartitionDirectory.ObjectInfo file : files.deletedKeyFiles(snapshot,
                            CurrentStatePlan.hashOf(manifest).orElseThrow())) {
                        // Where their rows start is not recorded; the merge opens them first and orders their
                        // rows by their Kafka columns.
                        previous.add(new CurrentStateInput(deletedKeys + file.name(), file.bytes(),
                                new MergeKey(0, 0)));
                    }
                });
                String hash = CurrentStatePlan.hash(previous, changes, settings.spec(), compaction);
                PartitionDirectory directory = reader.inspect(target);
                Optional<ManifestStore.Versioned> existing = directory.manifest();
                if (existing.isPresent()
                        && CurrentStatePlan.hashOf(existing.get().manifest()).equals(Optional.of(hash))) {
                    int deleted = files.collectGarbage(target, directory, existing.get(), compaction, clock.instant());
                    return deleted == 0 ? Optional.empty() : Optional.of(new CurrentStateResult(target.toString(),
                            CurrentStateResult.Outcome.UNCHANGED, null, 0, 0, 0, 0, 0, deleted,
                            Duration.between(started, clock.instant())));
                }
                faults.at(CompactionStep.PLANNED, target);
                List<CurrentStateInput> inputs = new ArrayList<>(previous);
                inputs.addAll(changes);
                CurrentStateBuilder.Built built = builder.build(target, hash, inputs);
                PartitionManifest next = CurrentStateFiles.nextManifest(existing, built.outputs(), clock.instant());
                ManifestStore.Versioned committed;
                try {
                    committed = new ManifestStore.Versioned(next, manifests.replace(target, next, existing));
                } catch (ManifestConflictException e) {
                    LOG.warn("current-state lost a race snapshot={} reason={}", target, e.getMessage());
                    return Optional.of(CurrentStateResult.of(target, CurrentStateResult.Outcome.CONFLICT,
                            "another run published first; nothing was published by this one",
                            Duration.between(started, clock.instant())));
                }
                snapshots.put(hour, target);
                published.put(hour, Optional.of(committed));
                faults.at(CompactionStep.COMMITTED, target);
                int deleted = files.collectGarbage(target, directory, committed, compaction, clock.instant());
                long bytes = built.outputs().stream().mapToLong(CompactedFile::bytes).sum();
                CurrentStateResult.Outcome outcome = existing.isPresent() ? CurrentStateResult.Outcome.REPLACED
                        : CurrentStateResult.Outcome.PUBLISHED;
                CurrentStateResult result = new CurrentStateResult(target.toString(), outcome, null, built.rowsIn(),
                        built.keys(), built.deletedKeys(), built.outputs().size(), bytes, deleted,
                        Duration.between(started, clock.instant()));
                LOG.info("current-state snapshot {} snapshot={} generation={} rowsIn={} keys={} deletedKeys={} "
                                + "files={} bytes={} deleted={} ms={}", outcome.name().toLowerCase(Locale.ROOT), target,
                        next.generation(), result.rowsIn(), result.keys(), result.deletedKeys(), result.outputFiles(),
                        bytes, deleted, result.duration().toMillis());
                return Optional.of(result);
            } catch (Exception e) {
                LOG.warn("current-state snapshot failed snapshot={} reason={}", target, e.toString());
                return Optional.of(CurrentStateResult.of(target, CurrentStateResult.Outcome.FAILED,
                        e.getClass().getSimpleName() + ": " + e.getMessage(),
                        Duration.between(started, clock.instant())));
            }
        }

        /**
         * Adds the published files of a changelog partition; says why the hour must wait when the sink has not
         * checkpointed one of its files yet (a replay could still rewrite it under the same name).
         */
        private Optional<String> addPublished(LakePartition partition, List<CurrentStateInput> changes) {
            PartitionDirectory directory = reader.inspect(partition);
            for (CompactedFile file : directory.compactedFiles()) {
                changes.add(new CurrentStateInput(partition.directory() + file.name(), file.bytes(), file.firstKey()));
            }
            for (PartitionDirectory.SinkFile file : directory.publishedSinkFiles()) {
                if (compaction.requireSinkCheckpoint()) {
                    OptionalLong next = checkpoints.nextOffset(prefix, topic, file.key().kafkaPartition());
                    if (next.isEmpty() || file.key().startOffset() >= next.getAsLong()) {
                        return Optional.of(file.info().name() + " is not checkpointed by the sink yet");
                    }
                }
                changes.add(new CurrentStateInput(partition.directory() + file.info().name(), file.info().bytes(),
                        file.firstKey()));
            }
            return Optional.empty();
        }

        private Optional<ManifestStore.Versioned> manifest(String hour) {
            return published.computeIfAbsent(hour, h -> manifests.read(snapshots.get(h)));
        }

        private Instant hourEnd(String hour) {
            return PartitionHours.hourEnd(hour, compaction.zone()).orElseThrow();
        }
    }

    /** The {@code year=/month=/day=/hour=} part of a partition path. */
    static String hourPath(String path) {
        String[] segments = path.split("/");
        return String.join("/", segments[0], segments[1], segments[2], segments[3]);
    }
}
