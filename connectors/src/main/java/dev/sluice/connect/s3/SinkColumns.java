package dev.sluice.connect.s3;

import dev.sluice.connect.RecordKeyText;
import dev.sluice.lake.KafkaColumns;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.avro.JsonProperties;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.kafka.connect.data.Values;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.header.Headers;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * The top-level columns the sink adds to the value's, as configured: with metadata columns {@code __kafka_partition},
 * {@code __kafka_offset} and {@code __kafka_timestamp}, and the lineage columns {@code __lineage_source},
 * {@code __lineage_ingested_at}, {@code __lineage_pipeline_version} from the record's {@code sluice.lineage.*} headers
 * (null when it has none); with delete markers ({@code behavior.on.null.values=delete}) {@code __kafka_key} and
 * {@code __deleted}.
 */
final class SinkColumns {

    private static final Set<String> METADATA_COLUMNS = Set.of(KafkaColumns.PARTITION, KafkaColumns.OFFSET,
            KafkaColumns.TIMESTAMP, KafkaColumns.LINEAGE_SOURCE, KafkaColumns.LINEAGE_INGESTED_AT,
            KafkaColumns.LINEAGE_PIPELINE_VERSION);
    private static final Set<String> MARKER_COLUMNS = Set.of(KafkaColumns.KEY, KafkaColumns.DELETED);

    private final boolean metadataColumns;
    private final boolean deleteMarkers;
    private final Set<String> names;

    /**
     * @param metadataColumns whether rows get the Kafka metadata and lineage columns
     * @param deleteMarkers   whether rows get {@code __kafka_key} and {@code __deleted}
     */
    SinkColumns(boolean metadataColumns, boolean deleteMarkers) {
        this.metadataColumns = metadataColumns;
        this.deleteMarkers = deleteMarkers;
        Set<String> columns = new HashSet<>();
        if (metadataColumns) {
            columns.addAll(METADATA_COLUMNS);
        }
        if (deleteMarkers) {
            columns.addAll(MARKER_COLUMNS);
        }
        this.names = Set.copyOf(columns);
    }

    /** Whether tombstones are written as rows, which needs every value column to be nullable. */
    boolean deleteMarkers() {
        return deleteMarkers;
    }

    boolean contains(String column) {
        return names.contains(column);
    }

    /** @throws DataException if a top-level value field has the name of one of the sink's columns */
    void requireNoClash(String valueField) {
        if (METADATA_COLUMNS.contains(valueField) && metadataColumns) {
            throw new DataException("Value field '" + valueField + "' clashes with a Kafka metadata "
                    + "column; disable " + S3ParquetSinkConfig.KAFKA_METADATA_COLUMNS + " or rename it");
        }
        if (MARKER_COLUMNS.contains(valueField) && deleteMarkers) {
            throw new DataException("Value field '" + valueField + "' clashes with a delete-marker column "
                    + "of " + S3ParquetSinkConfig.BEHAVIOR_ON_NULL_VALUES + "=delete; use fail or ignore, or "
                    + "rename it");
        }
    }

    /** The sink's own columns, in the order they follow the value's; new instances: an Avro field has one schema. */
    List<Schema.Field> fields() {
        List<Schema.Field> fields = new ArrayList<>();
        if (metadataColumns) {
            fields.add(new Schema.Field(KafkaColumns.PARTITION, Schema.create(Schema.Type.INT)));
            fields.add(new Schema.Field(KafkaColumns.OFFSET, Schema.create(Schema.Type.LONG)));
            fields.add(new Schema.Field(KafkaColumns.TIMESTAMP,
                    AvroSchemaTranslator.nullable(LogicalTypes.timestampMillis().addToSchema(
                            Schema.create(Schema.Type.LONG))), null, JsonProperties.NULL_VALUE));
            fields.add(new Schema.Field(KafkaColumns.LINEAGE_SOURCE,
                    AvroSchemaTranslator.nullable(Schema.create(Schema.Type.STRING)), null, JsonProperties.NULL_VALUE));
            fields.add(new Schema.Field(KafkaColumns.LINEAGE_INGESTED_AT,
                    AvroSchemaTranslator.nullable(LogicalTypes.timestampMillis().addToSchema(
                            Schema.create(Schema.Type.LONG))), null, JsonProperties.NULL_VALUE));
            fields.add(new Schema.Field(KafkaColumns.LINEAGE_PIPELINE_VERSION,
                    AvroSchemaTranslator.nullable(Schema.create(Schema.Type.STRING)), null, JsonProperties.NULL_VALUE));
        }
        if (deleteMarkers) {
            fields.add(new Schema.Field(KafkaColumns.KEY, AvroSchemaTranslator.nullable(
                    Schema.create(Schema.Type.STRING)), null, JsonProperties.NULL_VALUE));
            fields.add(new Schema.Field(KafkaColumns.DELETED, Schema.create(Schema.Type.BOOLEAN)));
        }
        return fields;
    }

    /** Where the sink's columns are in {@code fileSchema}. */
    Positions positionsIn(Schema fileSchema) throws IncompatibleSchemaException {
        int[] metadata = null;
        if (metadataColumns) {
            Schema.Field partition = fileSchema.getField(KafkaColumns.PARTITION);
            Schema.Field offset = fileSchema.getField(KafkaColumns.OFFSET);
            Schema.Field timestamp = fileSchema.getField(KafkaColumns.TIMESTAMP);
            if (partition == null || offset == null || timestamp == null) {
                throw new IncompatibleSchemaException("", "file has no Kafka metadata columns");
            }
            Schema.Field source = fileSchema.getField(KafkaColumns.LINEAGE_SOURCE);
            Schema.Field ingestedAt = fileSchema.getField(KafkaColumns.LINEAGE_INGESTED_AT);
            Schema.Field version = fileSchema.getField(KafkaColumns.LINEAGE_PIPELINE_VERSION);
            if (source == null || ingestedAt == null || version == null) {
                throw new IncompatibleSchemaException("", "file has no lineage columns");
            }
            metadata = new int[] {partition.pos(), offset.pos(), timestamp.pos(), source.pos(), ingestedAt.pos(),
                    version.pos()};
        }
        int[] markers = null;
        if (deleteMarkers) {
            Schema.Field key = fileSchema.getField(KafkaColumns.KEY);
            Schema.Field deleted = fileSchema.getField(KafkaColumns.DELETED);
            if (key == null || deleted == null) {
                throw new IncompatibleSchemaException("", "file has no delete-marker columns");
            }
            markers = new int[] {key.pos(), deleted.pos()};
        }
        return new Positions(metadata, markers);
    }

    /**
     * Positions of the sink's own columns in one file schema.
     *
     * @param metadata partition, offset, timestamp, lineage source, ingested-at, pipeline version; null without
     *                 metadata columns
     * @param markers  key, deleted; null without delete markers
     */
    record Positions(int[] metadata, int[] markers) {

        void fill(GenericData.Record row, SinkRecord record, boolean deleted) {
            if (metadata != null) {
                Headers headers = record.headers();
                row.put(metadata[0], record.kafkaPartition());
                row.put(metadata[1], record.kafkaOffset());
                row.put(metadata[2], record.timestamp());
                row.put(metadata[3], headerText(headers.lastWithName(KafkaColumns.SOURCE_HEADER)));
                row.put(metadata[4], headerMillis(headers.lastWithName(KafkaColumns.INGESTED_AT_HEADER)));
                row.put(metadata[5], headerText(headers.lastWithName(KafkaColumns.PIPELINE_VERSION_HEADER)));
            }
            if (markers != null) {
                row.put(markers[0], RecordKeyText.of(record));
                row.put(markers[1], deleted);
            }
        }
    }

    /** {@code header} as text: bytes as UTF-8, anything a header converter parsed as its string; null if absent. */
    private static String headerText(Header header) {
        if (header == null || header.value() == null) {
            return null;
        }
        return header.value() instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8)
                : Values.convertToString(header.schema(), header.value());
    }

    /**
     * {@code header} as epoch milliseconds: streams-app writes an ISO-8601 instant, which the worker's default header
     * converter hands over as a timestamp when it has milliseconds and as text when it has none. Null when absent or
     * not an instant.
     */
    private static Long headerMillis(Header header) {
        if (header != null && header.value() instanceof java.util.Date date) {
            return date.getTime();
        }
        String text = headerText(header);
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text).toEpochMilli();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
