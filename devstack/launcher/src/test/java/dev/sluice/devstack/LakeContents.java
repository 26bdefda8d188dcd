package dev.sluice.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.avro.AvroReadSupport;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.io.LocalInputFile;

import dev.sluice.embedded.Await;
import dev.sluice.lake.KafkaColumns;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * What the lake holds of a topic, compared with what Kafka committed: each record as {@code partition/offset} from
 * the sink's Kafka columns, counted, so that a duplicate or a record of an aborted transaction shows; and where the
 * rows came from (the lineage column).
 */
final class LakeContents {

    private static final Configuration KAFKA_COLUMNS_ONLY = new Configuration(false);
    /** The Kafka position, the lineage and the delete marker, of sinks with behavior.on.null.values=delete. */
    private static final Configuration EVERY_CHECKED_COLUMN = new Configuration(false);

    static {
        AvroReadSupport.setRequestedProjection(KAFKA_COLUMNS_ONLY, SchemaBuilder.record("KafkaColumns").fields()
                .requiredInt(KafkaColumns.PARTITION).requiredLong(KafkaColumns.OFFSET)
                .optionalString(KafkaColumns.LINEAGE_SOURCE).endRecord());
        AvroReadSupport.setRequestedProjection(EVERY_CHECKED_COLUMN, SchemaBuilder.record("CheckedColumns").fields()
                .requiredInt(KafkaColumns.PARTITION).requiredLong(KafkaColumns.OFFSET)
                .optionalString(KafkaColumns.LINEAGE_SOURCE).requiredBoolean(KafkaColumns.DELETED).endRecord());
    }

    private LakeContents() {
    }

    /**
     * What one read of the Parquet objects under {@code <layer>/<topic>/} found: {@code partition/offset → rows},
     * the {@code partition/offset} of the delete markers, and the distinct {@code __lineage_source} values (null
     * included).
     */
    record Lake(Map<String, Integer> rows, Set<String> deleteMarkers, Set<String> lineageSources) {
    }

    /**
     * Reads the objects under {@code <layer>/<topic>/} once for rows, delete markers and lineage sources, of sinks
     * with behavior.on.null.values=delete (silver, gold): one download of each object rather than one per question.
     */
    static Lake lake(S3Client s3, String bucket, String layer, String topic, Path scratch) {
        Lake lake = new Lake(new TreeMap<>(), new TreeSet<>(), new HashSet<>());
        read(s3, bucket, layer, topic, scratch, EVERY_CHECKED_COLUMN, row -> {
            String position = row.get(KafkaColumns.PARTITION) + "/" + row.get(KafkaColumns.OFFSET);
            lake.rows().merge(position, 1, Integer::sum);
            if ((Boolean) row.get(KafkaColumns.DELETED)) {
                lake.deleteMarkers().add(position);
            }
            lake.lineageSources().add(row.get(KafkaColumns.LINEAGE_SOURCE) == null ? null
                    : row.get(KafkaColumns.LINEAGE_SOURCE).toString());
        });
        return lake;
    }

    /** {@code partition/offset → rows} of every Parquet object under {@code <layer>/<topic>/}. */
    static Map<String, Integer> rows(S3Client s3, String bucket, String layer, String topic, Path scratch) {
        Map<String, Integer> rows = new TreeMap<>();
        read(s3, bucket, layer, topic, scratch, KAFKA_COLUMNS_ONLY, row -> rows.merge(row.get(KafkaColumns.PARTITION)
                + "/" + row.get(KafkaColumns.OFFSET), 1, Integer::sum));
        return rows;
    }

    private static void read(S3Client s3, String bucket, String layer, String topic, Path scratch,
            Configuration projection, Consumer<GenericRecord> each) {
        List<String> keys = new ArrayList<>();
        for (S3Object object : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(layer + "/" + topic + "/"))
                .contents()) {
            if (object.key().endsWith(".parquet")) {
                keys.add(object.key());
            }
        }
        try {
            Files.createDirectories(scratch);
            for (String key : keys) {
                Path local = Files.createTempFile(scratch, "lake-", ".parquet");
                Files.delete(local);
                s3.getObject(b -> b.bucket(bucket).key(key), local);
                // Generic records of the Kafka and lineage columns only: the files' Avro schemas carry the names of the app's
                // generated classes, which a specific reader would instantiate without the sink's extra columns.
                try (ParquetReader<GenericRecord> reader = AvroParquetReader
                        .<GenericRecord>builder(new LocalInputFile(local)).withDataModel(GenericData.get())
                        .withConf(projection).build()) {
                    for (GenericRecord row = reader.read(); row != null; row = reader.read()) {
                        each.accept(row);
                    }
                }
                Files.delete(local);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading the lake's " + layer + "/" + topic, e);
        }
    }

    /**
     * {@code partition/offset → 1} of every committed record of {@code topic}, tombstones included: the silver and gold
     * sinks write them as delete markers.
     */
    static Map<String, Integer> committed(String bootstrapServers, String topic) {
        Map<String, Integer> records = new TreeMap<>();
        readCommitted(bootstrapServers, topic, record -> records.put(record.partition() + "/" + record.offset(), 1));
        return records;
    }

    /**
     * One read of {@code topic}'s committed records: {@code partition/offset → 1} of each (tombstones included: the
     * silver and gold sinks write them as delete markers), and the {@code partition/offset} of its tombstones.
     */
    record Committed(Map<String, Integer> records, Set<String> tombstones) {
    }

    static Committed committedWithTombstones(String bootstrapServers, String topic) {
        Committed committed = new Committed(new TreeMap<>(), new TreeSet<>());
        readCommitted(bootstrapServers, topic, record -> {
            String position = record.partition() + "/" + record.offset();
            committed.records().put(position, 1);
            if (record.value() == null) {
                committed.tombstones().add(position);
            }
        });
        return committed;
    }

    private static void readCommitted(String bootstrapServers, String topic,
            Consumer<ConsumerRecord<byte[], byte[]>> each) {
        try (KafkaConsumer<byte[], byte[]> consumer = PipelineCounts.consumer(bootstrapServers, "lake-expected")) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            Await.until(topic + " read to its end", Duration.ofSeconds(60), () -> {
                consumer.poll(Duration.ofMillis(200)).forEach(each);
                return partitions.stream().allMatch(tp -> consumer.position(tp) >= ends.get(tp));
            });
        }
    }
}
