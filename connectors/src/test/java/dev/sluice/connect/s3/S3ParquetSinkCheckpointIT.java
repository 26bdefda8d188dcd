package dev.sluice.connect.s3;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.connect.admin.ConnectAwait;
import dev.sluice.connect.admin.ConnectRestClient;
import dev.sluice.embedded.Await;
import dev.sluice.embedded.ConnectWorker;
import dev.sluice.embedded.EmbeddedPlatformExtension;
import dev.sluice.embedded.KafkaBroker;
import dev.sluice.embedded.S3Server;
import dev.sluice.lake.KafkaColumns;
import dev.sluice.lake.LakeCommitMark;
import dev.sluice.lake.ObjectKeyNamer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkpoints that no longer describe the topic are noticed, never followed silently: a topic deleted and
 * re-created, and a committed offset moved below the checkpoint by something other than the sink. A committed
 * offset below the checkpoint that the sink itself committed (Kafka's commit lagging S3 after a crash) is normal.
 * Against a real broker, with the task driven directly and in a real worker.
 */
@ExtendWith(EmbeddedPlatformExtension.class)
class S3ParquetSinkCheckpointIT {

    private static final Duration DEADLINE = Duration.ofSeconds(45);
    private static final Instant TEN = Instant.parse("2026-03-07T10:00:00Z");

    @TempDir
    static Path downloads;

    private static KafkaBroker kafka;
    private static S3Server s3;
    private static ConnectRestClient rest;

    @BeforeAll
    static void servers(KafkaBroker broker, S3Server server, ConnectWorker worker) {
        kafka = broker;
        s3 = server;
        rest = new ConnectRestClient(worker.restUrl());
    }

    private record Sink(String name, String topic, TopicPartition p0, String prefix, Map<String, String> config) {
        static Sink created(String kind) {
            String suffix = kind + "-" + UUID.randomUUID().toString().substring(0, 8);
            String topic = "silver.orders-" + suffix;
            kafka.createTopics(1, topic);
            String prefix = "it/checkpoint-" + suffix;
            Map<String, String> config = SinkHarness.config(s3, prefix);
            config.put("name", "s3-sink-" + suffix);
            config.put("kafka.bootstrap.servers", kafka.bootstrapServers());
            config.put("flush.size", "10");
            return new Sink("s3-sink-" + suffix, topic, new TopicPartition(topic, 0), prefix, config);
        }

        String group() {
            return "connect-" + name;
        }

        List<SinkRecord> log(int count) {
            List<SinkRecord> records = new ArrayList<>();
            for (long offset = 0; offset < count; offset++) {
                records.add(Orders.record(topic, 0, offset, TEN.plusSeconds(offset)));
            }
            return records;
        }

        /** Starts a task on the partition, delivers the first {@code count} records and stops it cleanly. */
        void writeAndStop(int count) {
            SinkHarness task = SinkHarness.start(config, Set.of(p0), new AtomicLong(), new HashMap<>(), true);
            task.deliver(log(count), p0, count, count);
            task.stop();
        }

        SinkHarness start() {
            return SinkHarness.start(config, Set.of(p0), new AtomicLong(), new HashMap<>(), true);
        }
    }

    @Test
    void aCheckpointOfADeletedAndRecreatedTopicStopsThePartitionUntilItIsMovedAside() throws Exception {
        Sink sink = Sink.created("recreated");
        sink.writeAndStop(20);
        try (Admin admin = kafka.admin()) {
            admin.deleteTopics(Set.of(sink.topic())).all().get();
            Await.until("the topic re-created", DEADLINE, () -> recreated(sink.topic()));
        }

        ConnectException stale = assertThrows(ConnectException.class, sink::start);
        assertTrue(stale.getMessage().contains("deleted and re-created"), stale.getMessage());
        assertTrue(stale.getMessage().contains(new ObjectKeyNamer(sink.prefix()).checkpointKey(sink.topic(), 0)),
                "names the checkpoint: " + stale.getMessage());

        // The documented recovery: move the old topic's files and checkpoints aside; the new topic starts afresh.
        for (String key : lake().allKeys(sink.prefix() + "/")) {
            s3.client().deleteObject(b -> b.bucket(S3Server.LAKE_BUCKET).key(key));
        }
        SinkHarness task = sink.start();
        task.deliver(sink.log(10), sink.p0(), 10, 10);
        task.stop();
        assertEquals(10, lake().allRows(sink.prefix() + "/").size(), "one full group of the new topic");
    }

    @Test
    void aCommittedOffsetBelowTheCheckpointStopsThePartitionUnlessTheSinkCommittedIt() throws Exception {
        Sink sink = Sink.created("reset");
        sink.writeAndStop(20);

        commit(sink.group(), sink.p0(), new OffsetAndMetadata(10, LakeCommitMark.PREFIX));
        assertDoesNotThrow(() -> sink.start().stop(), "Kafka's commit lagging the checkpoint is normal");

        commit(sink.group(), sink.p0(), new OffsetAndMetadata(5));
        ConnectException reset = assertThrows(ConnectException.class, sink::start);
        assertTrue(reset.getMessage().contains("committed offset 5 was set below"), reset.getMessage());

        commit(sink.group(), sink.p0(), new OffsetAndMetadata(20));
        assertDoesNotThrow(() -> sink.start().stop(), "reset to the checkpoint: the lake is kept as it is");
    }

    @Test
    void aRealWorkerCommitsTheMarkAndAnOffsetResetFailsTheTaskWithTheRemedy() throws Exception {
        Sink sink = Sink.created("worker");
        Map<String, String> config = new HashMap<>(sink.config());
        config.put("connector.class", S3ParquetSinkConnector.class.getName());
        config.put("topics", sink.topic());
        config.put("tasks.max", "1");
        config.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        config.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        config.put("rotate.idle.ms", "1000");
        config.remove("name");
        rest.putConfig(sink.name(), config);
        ConnectAwait.running(rest, sink.name(), 1, DEADLINE);
        produce(sink.topic(), 0, 20);
        Await.until("offset 20 committed", DEADLINE, () -> committed(sink.group(), sink.p0()).offset() == 20);
        assertEquals(LakeCommitMark.PREFIX, committed(sink.group(), sink.p0()).metadata(),
                "the worker commits the metadata the task returns; no record had a source time");

        ConnectAwait.deleteAndAwaitGone(rest, sink.name(), DEADLINE);
        commitWhenGroupEmpty(sink.group(), sink.p0(), new OffsetAndMetadata(5));
        rest.putConfig(sink.name(), config);
        ConnectAwait.taskState(rest, sink.name(), 0, "FAILED", DEADLINE);
        String trace = rest.taskStatus(sink.name(), 0).path("trace").asText();
        assertTrue(trace.contains("reset the offset to 20"), trace);

        ConnectAwait.deleteAndAwaitGone(rest, sink.name(), DEADLINE);
        commitWhenGroupEmpty(sink.group(), sink.p0(), new OffsetAndMetadata(20));
        rest.putConfig(sink.name(), config);
        ConnectAwait.running(rest, sink.name(), 1, DEADLINE);
        long sourceTime = System.currentTimeMillis() - 60_000;
        long producedAt = System.currentTimeMillis();
        produce(sink.topic(), 20, 25, sourceTime);
        Await.until("offset 25 committed", DEADLINE, () -> committed(sink.group(), sink.p0()).offset() == 25);
        LakeCommitMark mark = LakeCommitMark.parse(committed(sink.group(), sink.p0()).metadata()).orElseThrow();
        assertTrue(mark.publishedAt() >= producedAt, "published after the records were produced: " + mark);
        assertEquals(mark.publishedAt() - sourceTime, mark.maxLatencyMillis(),
                "the lake freshness streams-app reads: from the records' source time to their publication");
        List<GenericRecord> rows = lake().allRows(sink.prefix() + "/");
        assertEquals(25, rows.size());
        assertEquals(25, rows.stream().map(r -> r.get("id")).distinct().count());
        ConnectAwait.deleteAndAwaitGone(rest, sink.name(), DEADLINE);
    }

    private static boolean recreated(String topic) {
        try {
            kafka.createTopics(1, topic);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static LakeContents lake() {
        return new LakeContents(s3.client(), S3Server.LAKE_BUCKET, downloads.resolve(UUID.randomUUID().toString()));
    }

    private static void commit(String group, TopicPartition tp, OffsetAndMetadata offset) throws Exception {
        try (Admin admin = kafka.admin()) {
            admin.alterConsumerGroupOffsets(group, Map.of(tp, offset)).all().get();
        }
    }

    /** Commits as an operator's offset reset does; the group must have no members, which takes a moment. */
    private static void commitWhenGroupEmpty(String group, TopicPartition tp, OffsetAndMetadata offset) {
        Await.until("offsets of " + group + " reset", DEADLINE, () -> {
            try {
                commit(group, tp, offset);
                return true;
            } catch (ExecutionException e) {
                return false;
            }
        });
    }

    private static OffsetAndMetadata committed(String group, TopicPartition tp) throws Exception {
        try (Admin admin = kafka.admin()) {
            OffsetAndMetadata offset = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get()
                    .get(tp);
            return offset == null ? new OffsetAndMetadata(-1) : offset;
        }
    }

    /** Orders {@code from..to-1} as JSON with an inline schema, as the worker's JsonConverter reads them. */
    private static void produce(String topic, int from, int to) throws Exception {
        produce(topic, from, to, -1);
    }

    /** @param sourceTime the {@value KafkaColumns#SOURCE_TS_HEADER} of every record, none if negative */
    private static void produce(String topic, int from, int to, long sourceTime) throws Exception {
        Properties props = kafka.clientProperties();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(),
                new StringSerializer())) {
            for (int id = from; id < to; id++) {
                String value = "{\"schema\":{\"type\":\"struct\",\"name\":\"dev.sluice.test.Order\",\"optional\":false,"
                        + "\"fields\":[{\"field\":\"id\",\"type\":\"int64\",\"optional\":false}]},"
                        + "\"payload\":{\"id\":" + id + "}}";
                ProducerRecord<String, String> record = new ProducerRecord<>(topic, 0, "order-" + id, value);
                if (sourceTime >= 0) {
                    record.headers().add(KafkaColumns.SOURCE_TS_HEADER,
                            Long.toString(sourceTime).getBytes(StandardCharsets.UTF_8));
                }
                producer.send(record).get();
            }
        }
    }
}
