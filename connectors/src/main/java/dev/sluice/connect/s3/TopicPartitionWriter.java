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

    private final TopicPartition tp;
    private final WriterContext ctx;
    private final Map<String, OpenFile> openFiles = new LinkedHashMap<>();
    /** Errant records of the open group, reported when the group commits so that a replay reports them once. */
    private final List<DeadLetter> pendingDeadLetters = new ArrayList<>();
    /** Records below this offset are already in S3 (from the checkpoint); -1 if unknown. */
    private long skipBelow;
    /** First offset of the open group, -1 when no group is open. */
    private long groupStart = -1;
    /** Last offset handled in this session, -1 before the first. */
    private long lastOffset = -1;
    /** Every offset below is durable in S3 or was deliberately not written; -1 if unknown. */
    private long durableNext = -1;
    /** The offset the checkpoint holds, -1 if none. */
    private long lastCheckpoint;
    /** The ETag of this task's last checkpoint write: the next write must find it, or the partition was taken. */
    private String checkpointEtag;
    private final Optional<String> topicId;
    private long highWaterWindow = RotationPolicy.NO_WINDOW;
    private long lastRecordMillis;
    private int failuresSinceCommit;
    private int rolledInGroup;
    private long groupRecords;
    /** Oldest source time ({@link LakeFreshness}) among the open group's records; MAX_VALUE if none has one. */
    private long groupOldestSource = Long.MAX_VALUE;
    /** Freshness of the groups published since {@link #commitMark()} last took it; empty if none had a source time. */
    private Optional<LakeCommitMark> pendingMark = Optional.empty();
    /** What the offset commits carry until another group is published: unchanged, so Connect skips idle commits. */
    private Optional<LakeCommitMark> committedMark = Optional.empty();
    /** Schema of the last file a record with a value went to: names the files that tombstones open. */
    private Schema lastFileSchema;

    TopicPartitionWriter(TopicPartition tp, WriterContext ctx, S3OffsetCheckpoints.Claim claim) {
        this.tp = tp;
        this.ctx = ctx;
        this.skipBelow = claim.nextOffset().orElse(-1);
        this.lastCheckpoint = skipBelow;
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
        return offset <= lastOffset;
    }

    /** Whether the record at {@code offset} is already in S3 according to the checkpoint read at assignment. */
    boolean isDurable(long offset) {
        return offset < skipBelow;
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
        if (groupStart < 0) {
            startGroup(offset);
        }
        pendingDeadLetters.add(new DeadLetter(record, cause));
        lastOffset = offset;
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
        lastOffset = offset;
        lastRecordMillis = ctx.clock().millis();
        if (groupStart < 0) {
            durableNext = offset + 1;
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
            rolledInGroup++;
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

    /** Before the append, which may publish the group (full file) with this record in it. */
    private void noteSourceTime(SinkRecord record) {
        LakeFreshness.sourceTime(record).ifPresent(source -> groupOldestSource = Math.min(groupOldestSource, source));
    }

    /** Closes the group first if the event time entered a new rotation window. */
    private void enterWindow(RecordRouter.Route route) {
        long window = ctx.policy().window(route.eventTimeMillis());
        if (groupStart >= 0 && ctx.policy().entersNewWindow(highWaterWindow, window)) {
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
        groupRecords++;
        lastOffset = offset;
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
        if (groupStart < 0) {
            startGroup(offset);
        }
        OpenFile file = new OpenFile(writer, ctx.budget().nextSequence());
        openFiles.put(partitionPath, file);
        return file;
    }

    private void startGroup(long offset) {
        groupStart = offset;
        durableNext = offset;
        rolledInGroup = 0;
        groupRecords = 0;
        groupOldestSource = Long.MAX_VALUE;
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
        if (groupStart < 0) {
            return;
        }
        confirmOwnership();
        for (OpenFile file : openFiles.values()) {
            commitFile(file);
        }
        int files = openFiles.size() + rolledInGroup;
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
        long next = lastOffset + 1;
        try {
            checkpointEtag = ctx.checkpoints().write(tp, OptionalLong.of(next), topicId, checkpointEtag);
        } catch (PartitionFencedException e) {
            discard();
            throw e;
        } catch (RuntimeException e) {
            throw fail("Checkpointing offset " + next + " failed", e);
        }
        long publishedAt = ctx.clock().millis();
        if (groupOldestSource != Long.MAX_VALUE) {
            ctx.freshness().published(tp.topic(), groupOldestSource, publishedAt);
            long latency = Math.max(0, publishedAt - groupOldestSource);
            pendingMark = Optional.of(pendingMark.map(mark -> mark.and(publishedAt, latency))
                    .orElseGet(() -> new LakeCommitMark(publishedAt, latency)));
        }
        log.info("{}: uploaded {} file(s), {} records, {} dead letters, offsets {}..{}, oldest source time {},"
                + " because {}",
                tp, files, groupRecords, deadLetters, groupStart, lastOffset,
                groupOldestSource == Long.MAX_VALUE ? "none" : (publishedAt - groupOldestSource) / 1000.0 + " s ago",
                reason);
        lastCheckpoint = next;
        durableNext = next;
        groupStart = -1;
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
        OptionalLong checkpointed = lastCheckpoint < 0 ? OptionalLong.empty() : OptionalLong.of(lastCheckpoint);
        try {
            checkpointEtag = ctx.checkpoints().write(tp, checkpointed, topicId, checkpointEtag);
        } catch (PartitionFencedException e) {
            discard();
            throw e;
        } catch (RuntimeException e) {
            throw fail("Confirming ownership of the checkpoint failed", e);
        }
    }

    /** Closes the group if no record arrived for the idle time. */
    void rotateIfIdle(long nowMillis) {
        if (groupStart >= 0 && ctx.policy().isIdle(lastRecordMillis, nowMillis)) {
            closeGroup("the partition was idle");
        }
    }

    /** Discards open files without uploading (partition revoked or task stopped). */
    void discard() {
        for (OpenFile file : openFiles.values()) {
            file.writer().abort();
        }
        openFiles.clear();
        pendingDeadLetters.clear();
        groupStart = -1;
    }

    private PartitionWriteException fail(String message, Throwable cause) {
        long rewindTo = durableNext;
        discard();
        skipBelow = Math.max(skipBelow, lastCheckpoint);
        lastOffset = -1;
        durableNext = -1;
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
        return durableNext < 0 ? OptionalLong.empty() : OptionalLong.of(durableNext);
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
