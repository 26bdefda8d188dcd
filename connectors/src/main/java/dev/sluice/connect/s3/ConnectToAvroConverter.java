package dev.sluice.connect.s3;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * Converts Connect values into Avro records for parquet-avro: {@link AvroSchemaTranslator} gives a new file its
 * schema, {@link ProjectorCompiler} decides how (and whether) a record goes into an open file, both for the
 * {@link SinkColumns} configured, and {@link ConnectSchemaCache} keeps what they derive. With delete markers
 * {@link #tombstoneRow} writes a tombstone into any file of the topic as a row with null value columns, so a tombstone
 * never rolls a file.
 *
 * <p>Not thread-safe; one per task.
 */
final class ConnectToAvroConverter {

    private final SinkColumns sinkColumns;
    private final AvroSchemaTranslator translator;
    private final ProjectorCompiler compiler;
    private final ConnectSchemaCache cache = new ConnectSchemaCache();

    /**
     * @param metadataColumns whether rows get the Kafka metadata and lineage columns
     * @param deleteMarkers   whether rows get {@code __kafka_key} and {@code __deleted} and value columns are nullable,
     *                        so that tombstones can be written ({@code behavior.on.null.values=delete})
     */
    ConnectToAvroConverter(boolean metadataColumns, boolean deleteMarkers) {
        this.sinkColumns = new SinkColumns(metadataColumns, deleteMarkers);
        this.translator = new AvroSchemaTranslator(sinkColumns);
        this.compiler = new ProjectorCompiler(sinkColumns);
    }

    /**
     * The Avro schema for a file started by a record with this Connect value schema; the same
     * instance for equal Connect schemas.
     *
     * @throws DataException if the schema has no Avro/Parquet form (e.g. a struct without fields)
     */
    Schema avroSchema(org.apache.kafka.connect.data.Schema valueSchema) {
        org.apache.kafka.connect.data.Schema canonical = cache.canonical(valueSchema);
        return cache.avroSchema(canonical, s -> translator.translate(structView(s)));
    }

    /** Whether and how records of {@code valueSchema} are written into files of {@code fileSchema}. */
    Projection projection(org.apache.kafka.connect.data.Schema valueSchema, Schema fileSchema) {
        org.apache.kafka.connect.data.Schema canonical = cache.canonical(valueSchema);
        return cache.projection(canonical, fileSchema,
                () -> compiler.compile(canonical, structView(canonical), fileSchema));
    }

    private org.apache.kafka.connect.data.Schema structView(org.apache.kafka.connect.data.Schema canonical) {
        return cache.structView(canonical, AvroSchemaTranslator::structView);
    }

    /** See {@link AvroSchemaTranslator#markerSchema}. */
    Schema markerSchema(Schema like) {
        return translator.markerSchema(like);
    }

    /**
     * The row of a tombstone in a file of {@code fileSchema} (a schema of this converter with delete markers):
     * {@code __deleted=true}, its key, the metadata and lineage columns, and null in every value column.
     */
    GenericData.Record tombstoneRow(SinkRecord record, Schema fileSchema) {
        SinkColumns.Positions columns = cache.tombstoneColumns(fileSchema, schema -> {
            try {
                return sinkColumns.positionsIn(schema);
            } catch (IncompatibleSchemaException e) {
                throw new DataException("Cannot write a tombstone into a file without the sink's columns: "
                        + e.getMessage());
            }
        });
        GenericData.Record row = new GenericData.Record(fileSchema);
        columns.fill(row, record, true);
        return row;
    }
}
