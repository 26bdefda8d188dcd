package dev.sluice.lake;

import java.util.List;

/**
 * The columns the S3 sink adds to every row (when its metadata columns are on) to say where the row came from: in
 * Kafka, and before Kafka (lineage). Compaction merges rows in Kafka order by partition and offset.
 */
public final class KafkaColumns {

    /** The Kafka partition of the record (int). */
    public static final String PARTITION = "__kafka_partition";
    /** The Kafka offset of the record (long). */
    public static final String OFFSET = "__kafka_offset";
    /** The Kafka timestamp of the record (timestamp-millis). */
    public static final String TIMESTAMP = "__kafka_timestamp";

    // Lineage: where the record came from before Kafka, from the headers streams-app stamps on every silver and gold
    // record, so that a lake row can be traced after Kafka's retention has deleted its records. Null without them.

    /** The bronze record a silver record was made from, {@code <topic>/<partition>/<offset>} (string). */
    public static final String LINEAGE_SOURCE = "__lineage_source";
    /** When streams-app took the bronze record in (timestamp-millis). */
    public static final String LINEAGE_INGESTED_AT = "__lineage_ingested_at";
    /** The streams-app version that wrote the record (string). */
    public static final String LINEAGE_PIPELINE_VERSION = "__lineage_pipeline_version";
    /** The headers they are read from (streams-app's {@code Lineage}). */
    public static final String SOURCE_HEADER = "sluice.lineage.source";
    public static final String INGESTED_AT_HEADER = "sluice.lineage.ingested-at";
    public static final String PIPELINE_VERSION_HEADER = "sluice.lineage.pipeline-version";
    /**
     * When the source committed the change or the event happened, epoch milliseconds as decimal text: the bronze
     * record's source time, carried on every silver and gold record made from it so that each layer and the sink can
     * measure freshness without decoding payloads (docs/operations.md, "Freshness").
     */
    public static final String SOURCE_TS_HEADER = "sluice.source.ts";

    // Delete markers (behavior.on.null.values=delete): a tombstone is data - the delete of a key, or a gold session
    // merged into a longer one - so it becomes a row rather than a dead letter, and every row names its key so that a
    // reader (or compaction's snapshot mode) can tell which earlier rows a marker deletes.

    /** The record key as text: bytes decoded as UTF-8, null for a null key (string). */
    public static final String KEY = "__kafka_key";
    /** False for a row with a value, true for a tombstone's row, whose value columns are null (boolean). */
    public static final String DELETED = "__deleted";

    /**
     * Columns whose values (nearly) never repeat within a file: a dictionary there is built for every row group only
     * to be thrown away, so the lake's files do not dictionary-encode them.
     */
    public static final List<String> NEAR_UNIQUE = List.of(OFFSET, TIMESTAMP, LINEAGE_SOURCE, LINEAGE_INGESTED_AT);

    private KafkaColumns() {
    }
}
