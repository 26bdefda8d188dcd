package dev.sluice.connect.s3;

import dev.sluice.lake.PartitionPathFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * The {@link RecordRouter} of each topic: topics named in {@value S3ParquetSinkConfig#TOPIC_PARTITION_FIELDS} are
 * partitioned by their own fields, every other topic by {@value S3ParquetSinkConfig#PARTITION_FIELDS}.
 */
final class RecordRouters {

    private final S3ParquetSinkConfig config;
    private final RecordRouter common;
    private final Map<String, RecordRouter> byTopic = new HashMap<>();

    RecordRouters(S3ParquetSinkConfig config) {
        this.config = config;
        this.common = router(config.partitionFields());
        config.topicPartitionFields().forEach((topic, fields) -> byTopic.put(topic, router(fields)));
    }

    /** Where {@code record} goes, by the fields of its topic. */
    RecordRouter.Route route(SinkRecord record) {
        return byTopic.getOrDefault(record.topic(), common).route(record);
    }

    private RecordRouter router(List<String> fields) {
        return new RecordRouter(config.timestampField(), fields, new PartitionPathFormatter(config.zone(), fields));
    }
}
