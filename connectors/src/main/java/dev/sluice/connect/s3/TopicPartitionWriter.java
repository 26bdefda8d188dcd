package dev.sluice.connect.s3;

import dev.sluice.lake.LakeCommitMark;
import dev.sluice.lake.ParquetRecordWriter;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the records of one Kafka partition into Parquet files, one open file per partition path,
 * and knows up to which offset everything is durably in S3.
 *
 * <p>Files are opened and closed in <em>groups</em>: the group starts with the first record written
 * after the previous group closed, and every rotation rule (records, bytes, event-time window, idle
 * time, open-file limit) closes the whole group. Closing uploads every file of the group, then
 * writes the partition's offset checkpoint. Each file is named by the offset of its first record,
 * so the names of a group depend only on the records from the group's first offset on; a group
 * replayed after a crash therefore overwrites whatever it had uploaded before, whatever its new
 * rotation points. Within a group a file is rolled early only when a record's schema cannot be
 * projected onto the file's schema, which the same replay reproduces (see the design doc).
 *
 * <p>Before it publishes anything (a group's files, a file rolled inside a group) the writer rewrites the checkpoint
 * conditionally ({@link S3OffsetCheckpoints}): if another task has taken the partition over meanwhile, that fails
 * and the writer discards its files instead of overwriting the other task's ({@link PartitionFencedException}).
 *
 * <p>Not thread-safe; driven by the task thread.
 */
final class TopicPartitionWriter {

    private static final Logger log = LoggerFactory.getLogger(TopicPartitionWriter.class);

    private record OpenFile(ParquetRecordWriter writer, long sequence) {
    }

    private record DeadLetter(SinkRecord record, Throwable cause) {
    }

    /** Whether a group is open; the offset Kafka may commit follows from it. */
    private sealed interface Group permits Idle, Open {
    }

    /**
     * No group is open.
     *
     * @param committable every offset below is durable in S3 or was deliberately not written; empty if unknown
     *                    (before the first record, and after a failure until the next group or skipped record)
     */
    private record Idle(OptionalLong committable) implements Group {
    }

    /** A group is open: its records, from offset {@code start} on, are not durable until it closes. */
    private static final class Open implements Group {
        final long start;
        /** Files of the group already uploaded because a record's schema rolled them. */
        int rolledFiles;
        long records;
        /** Oldest source time ({@link LakeFreshness}) among the group's records; MAX_VALUE if none has one. */
        long oldestSource = Long.MAX_VALUE;

        Open(long start) {
            this.start = start;
        }
    }

    private final TopicPartition tp;
    private final WriterContext ctx;
    private final Map<String, OpenFile> openFiles = new LinkedHashMap<>();
    /** Errant records of the open group, reported when the group commits so that a replay reports them once. */
    private final List<DeadLetter> pendingDeadLetters = new ArrayList<>();
    /** Records below this offset are already in S3, as the checkpoint said when this session started. */
    private long durableBelow;
    /** Records below this offset were handled in this session; 0 before the first. */
    private long handledBelow;
    private Group group = new Idle(OptionalLong.empty());
    /** The offset the checkpoint holds; empty if there is none. */
    private OptionalLong lastCheckpoint;
    /** The ETag of this task's last checkpoint write: the next write must find it, or the partition was taken. */
    private String checkpointEtag;
    private final Optional<String> topicId;
    private long highWaterWindow = RotationPolicy.NO_WINDOW;
    private long lastRecordMillis;
    private int failuresSinceCommit;
    /** Freshness of the groups published since {@link #commitMark()} last took it; empty if none had a source time. */
    private Optional<LakeCommitMark> pendingMark = Optional.empty();
    /** What the offset commits carry until another group is published: unchanged, so Connect skips idle commits. */
    private Optional<LakeCommitMark> committedMark = Optional.empty();
    /** Schema of the last file a record with a value went to: names the files that tombstones open. */
    private Schema lastFileSchema;

    TopicPartitionWriter(TopicPartition tp, WriterContext ctx, S3OffsetCheckpoints.Claim claim) {
        this.tp = tp;
        this.ctx = ctx;
        this.durableBelow = claim.nextOffset().orElse(0);
        this.lastCheckpoint = claim.nextOffset();
        this.checkpointEtag = claim.etag();
        this.topicId = claim.topicId();
        this.lastRecordMillis = ctx.clock().millis();
    }

    TopicPartition partition() {
        return tp;
    }

    /**
     * Whether {@code offset} was already handled in this session. The worker only delivers a record
     * twice after it rewound the consumer on its own (e.g. a failed offset commit); such records are
     * in an open file or in S3 already.
     */
    boolean isRedelivery(long offset) {
        return offset < handledBelow;
    }

    /** Whether the record at {@code offset} is already in S3 according to the checkpoint read at assignment. */
    boolean isDurable(long offset) {
        return offset < durableBelow;
    }

    /**
     * Sends an errant record to the dead letter queue, held back until its group commits (opening a
     * group if none is open): if the group is discarded (crash, rebalance, failure) the record is
     * delivered and reported again, so it must not have been reported already.
     *
     * @throws PartitionWriteException if the group had to be closed and that failed
     */
    void deadLetter(SinkRecord record, Throwable cause) {
        long offset = record.kafkaOffset();
        if (group instanceof Idle) {
            group = new Open(offset);
        }
        pendingDeadLetters.add(new DeadLetter(record, cause));
        handledBelow = offset + 1;
        lastRecordMillis = ctx.clock().millis();
        if (ctx.policy().isFull(pendingDeadLetters.size(), 0)) {
            closeGroup("it holds " + pendingDeadLetters.size() + " errant records");
        }
    }

    private void awaitReported(List<Future<Void>> reports) {
        try {
            for (Future<Void> report : reports) {
                report.get();
            }
        } catch (ExecutionException e) {
            throw fail("Reporting errant records to the dead letter queue failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw fail("Interrupted while reporting errant records", e);
        }
    }

    /** Marks a record handled without writing it (already durable, or ignored). */
    void skip(long offset) {
        handledBelow = offset + 1;
        lastRecordMillis = ctx.clock().millis();
        if (group instanceof Idle) {
            group = new Idle(OptionalLong.of(offset + 1));
        }
    }

    /**
     * Writes one record.
     *
     * @throws DataException    if the record cannot be converted; nothing was written for it
     * @throws PartitionWriteException if S3 failed; this writer has discarded its open files
     */
    void write(SinkRecord record, RecordRouter.Route route) {
        long offset = record.kafkaOffset();
        enterWindow(route);

        OpenFile file = openFiles.get(route.partitionPath());
        Projection intoOpenFile =
                file == null ? null : ctx.converter().projection(record.valueSchema(), file.writer().schema());
        Schema target;
        RowProjector projector;
        if (intoOpenFile instanceof Projection.Compatible compatible) {
            target = file.writer().schema();
            projector = compatible.projector();
        } else {
            target = ctx.converter().avroSchema(record.valueSchema());
            Projection own = ctx.converter().projection(record.valueSchema(), target);
            if (own instanceof Projection.Incompatible incompatible) {
                throw new DataException("Value schema cannot be written even to its own Avro form: "
                        + incompatible.reason());
            }
            projector = ((Projection.Compatible) own).projector();
        }
        GenericData.Record row = projector.project(record);

        if (intoOpenFile instanceof Projection.Incompatible incompatible) {
            log.debug("{}: rolling {} at offset {}: {}", tp, file.writer().key(), offset, incompatible.reason());
            confirmOwnership();
            commitFile(file);
            openFiles.remove(route.partitionPath());
            ((Open) group).rolledFiles++;
            file = null;
        }
        if (file == null) {
            file = openFile(route.partitionPath(), target, offset);
        }
        lastFileSchema = target;
        noteSourceTime(record);
        append(file, row, offset);
    }

    /**
     * Writes a tombstone as a delete-marker row ({@code behavior.on.null.values=delete}) into the open file of its
     * path, which every file of the topic can take, so tombstones between rows with values never roll a file. Without
     * an open file it opens one holding only the sink's columns (see {@link AvroSchemaTranslator#markerSchema}).
     *
     * @throws PartitionWriteException if S3 failed; this writer has discarded its open files
     */
    void writeTombstone(SinkRecord record, RecordRouter.Route route) {
        long offset = record.kafkaOffset();
        enterWindow(route);
        OpenFile file = openFiles.get(route.partitionPath());
        if (file == null) {
            file = openFile(route.partitionPath(), ctx.converter().markerSchema(lastFileSchema), offset);
        }
        noteSourceTime(record);
        append(file, ctx.converter().tombstoneRow(record, file.writer().schema()), offset);
    }

    /** Before the append, which may publish the group (full file) with this record in it; a group is open. */
    private void noteSourceTime(SinkRecord record) {
        Open open = (Open) group;
        LakeFreshness.sourceTime(record).ifPresent(source -> open.oldestSource = Math.min(open.oldestSource, source));
    }

    /** Closes the group first if the event time entered a new rotation window. */
    private void enterWindow(RecordRouter.Route route) {
        long window = ctx.policy().window(route.eventTimeMillis());
        if (group instanceof Open && ctx.policy().entersNewWindow(highWaterWindow, window)) {
            closeGroup("event time entered a new window");
        }
        highWaterWindow = Math.max(highWaterWindow, window);
    }

    private void append(OpenFile file, GenericData.Record row, long offset) {
        try {
            file.writer().write(row);
        } catch (IOException | RuntimeException e) {
            throw fail("Writing offset " + offset + " to " + file.writer().key() + " failed", e);
        }
        ((Open) group).records++;
        handledBelow = offset + 1;
        lastRecordMillis = ctx.clock().millis();
        if (ctx.policy().isFull(file.writer())) {
            closeGroup("file is full");
        }
    }

    private OpenFile openFile(String partitionPath, Schema schema, long offset) {
        ctx.budget().makeRoom(this);
        String key = ctx.namer().dataKey(tp.topic(), partitionPath, tp.partition(), offset, ctx.settings().codec());
        ParquetRecordWriter writer;
        try {
            writer = ParquetRecordWriter.open(ctx.s3(), ctx.settings(), key, schema);
        } catch (IOException | RuntimeException e) {
            throw fail("Opening " + key + " failed", e);
        }
        if (group instanceof Idle) {
            group = new Open(offset);
        }
        OpenFile file = new OpenFile(writer, ctx.budget().nextSequence());
        openFiles.put(partitionPath, file);
        return file;
    }

    private void commitFile(OpenFile file) {
        try {
            file.writer().commit();
        } catch (IOException | RuntimeException e) {
            throw fail("Uploading " + file.writer().key() + " failed", e);
        }
    }

    /**
     * Uploads every open file, reports the group's errant records and waits for the dead letter
     * queue to have them, then checkpoints. A group may consist of errant records only. Afterwards every offset handled so far is durable.
     *
     * @throws PartitionWriteException if S3 or the dead letter queue failed; this writer has discarded
     *                                 its open files
     */
    void closeGroup(String reason) {
        if (!(group instanceof Open open)) {
            return;
        }
        confirmOwnership();
        for (OpenFile file : openFiles.values()) {
            commitFile(file);
        }
        int files = openFiles.size() + open.rolledFiles;
        openFiles.clear();
        int deadLetters = pendingDeadLetters.size();
        if (deadLetters > 0) {
            List<Future<Void>> reports = new ArrayList<>(pendingDeadLetters.size());
            for (DeadLetter letter : pendingDeadLetters) {
                reports.add(ctx.deadLetters().report(letter.record(), letter.cause()));
            }
            awaitReported(reports);
            pendingDeadLetters.clear();
        }
        long next = handledBelow;
        try {
            checkpointEtag = ctx.checkpoints().write(tp, OptionalLong.of(next), topicId, checkpointEtag);
        } catch (PartitionFencedException e) {
            discard();
            throw e;
        } catch (RuntimeException e) {
            throw fail("Checkpointing offset " + next + " failed", e);
        }
        long publishedAt = ctx.clock().millis();
        if (open.oldestSource != Long.MAX_VALUE) {
            ctx.freshness().published(tp.topic(), open.oldestSource, publishedAt);
            long latency = Math.max(0, publishedAt - open.oldestSource);
            pendingMark = Optional.of(pendingMark.map(mark -> mark.and(publishedAt, latency))
                    .orElseGet(() -> new LakeCommitMark(publishedAt, latency)));
        }
        log.info("{}: uploaded {} file(s), {} records, {} dead letters, offsets {}..{}, oldest source time {},"
                + " because {}",
                tp, files, open.records, deadLetters, open.start, next - 1,
                open.oldestSource == Long.MAX_VALUE ? "none" : (publishedAt - open.oldestSource) / 1000.0 + " s ago",
                reason);
        lastCheckpoint = OptionalLong.of(next);
        group = new Idle(OptionalLong.of(next));
        failuresSinceCommit = 0;
    }

    /**
     * Rewrites the checkpoint as it is, conditionally on this task's last write, right before files are published:
     * a task that lost the partition finds out here, before it could replace its successor's objects.
     *
     * @throws PartitionFencedException if another task owns the partition now; the open files are discarded
     * @throws PartitionWriteException  if S3 failed
     */
    private void confirmOwnership() {
        try {
            checkpointEtag = ctx.checkpoints().write(tp, lastCheckpoint, topicId, checkpointEtag);
        } catch (PartitionFencedException e) {
            discard();
            throw e;
        } catch (RuntimeException e) {
            throw fail("Confirming ownership of the checkpoint failed", e);
        }
    }

    /** Closes the group if no record arrived for the idle time. */
    void rotateIfIdle(long nowMillis) {
        if (group instanceof Open && ctx.policy().isIdle(lastRecordMillis, nowMillis)) {
            closeGroup("the partition was idle");
        }
    }

    /**
     * Discards open files without uploading (partition revoked or task stopped). What Kafka may commit stays where
     * the discarded group started.
     */
    void discard() {
        for (OpenFile file : openFiles.values()) {
            file.writer().abort();
        }
        openFiles.clear();
        pendingDeadLetters.clear();
        if (group instanceof Open open) {
            group = new Idle(OptionalLong.of(open.start));
        }
    }

    private PartitionWriteException fail(String message, Throwable cause) {
        long rewindTo = committableOffset().orElse(-1);
        discard();
        durableBelow = Math.max(durableBelow, lastCheckpoint.orElse(0));
        handledBelow = 0;
        group = new Idle(OptionalLong.empty());
        highWaterWindow = RotationPolicy.NO_WINDOW;
        failuresSinceCommit++;
        return new PartitionWriteException(tp, rewindTo, tp + ": " + message, cause);
    }

    /** S3 failures since the last successful group, for giving up on a persistent outage. */
    int failuresSinceCommit() {
        return failuresSinceCommit;
    }

    /** The offset Kafka may commit: every record below it is in S3 or deliberately not written. */
    OptionalLong committableOffset() {
        return group instanceof Open open ? OptionalLong.of(open.start) : ((Idle) group).committable();
    }

    /**
     * The metadata of the next offset commit ({@link LakeCommitMark}): the freshness of the groups published since
     * the last call, or the previous call's answer if none was.
     */
    String commitMark() {
        if (pendingMark.isPresent()) {
            committedMark = pendingMark;
            pendingMark = Optional.empty();
        }
        return LakeCommitMark.format(committedMark);
    }

    int openFileCount() {
        return openFiles.size();
    }

    /** Sequence number of the oldest open file, or {@link Long#MAX_VALUE} if none is open. */
    long oldestFileSequence() {
        long oldest = Long.MAX_VALUE;
        for (OpenFile file : openFiles.values()) {
            oldest = Math.min(oldest, file.sequence());
        }
        return oldest;
    }
}
