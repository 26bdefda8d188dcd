package dev.sluice.lake;

import java.util.List;

/**
 * The columns the S3 sink adds to every row (when its metadata columns are on) to say where the row came from in
 * Kafka. Compaction merges rows in Kafka order by partition and offset.
 */
public final class KafkaColumns {

    /** The Kafka partition of the record (int). */
    public static final String PARTITION = "__kafka_partition";
    /** The Kafka offset of the record (long). */
    public static final String OFFSET = "__kafka_offset";
    /** The Kafka timestamp of the record (timestamp-millis). */
    public static final String TIMESTAMP = "__kafka_timestamp";

    /**
     * Columns whose values (nearly) never repeat within a file: a dictionary there is built for every row group only
     * to be thrown away, so the lake's files do not dictionary-encode them.
     */
    public static final List<String> NEAR_UNIQUE = List.of(OFFSET, TIMESTAMP);

    private KafkaColumns() {
    }
}
