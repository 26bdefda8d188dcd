package dev.sluice.lake.compaction;

import java.io.IOException;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.avro.AvroSchemaConverter;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.metadata.FileMetaData;
import org.apache.parquet.io.InputFile;

/**
 * Reads Parquet files as Avro records with parquet-avro. Every reader gets a plain (non-Hadoop) configuration:
 * a Hadoop one parses Hadoop's default XML resources each time, which cost more than reading a small file.
 */
final class ParquetFiles {

    /** Where parquet-avro keeps the writer's Avro schema in the footer. */
    private static final String AVRO_SCHEMA_KEY = "parquet.avro.schema";
    /** What {@link org.apache.parquet.avro.AvroReadSupport#setAvroReadSchema} sets, for a non-Hadoop configuration. */
    private static final String AVRO_READ_SCHEMA_KEY = "parquet.avro.read.schema";

    private ParquetFiles() {
    }

    /**
     * What a file's footer says.
     *
     * @param schema the Avro schema its rows were written with (converted from the Parquet schema when the writer
     *               did not store one)
     * @param rows   number of rows
     */
    record Footer(Schema schema, long rows) {
    }

    static Footer footer(InputFile file) throws IOException {
        ParquetReadOptions options = ParquetReadOptions.builder(new PlainParquetConfiguration()).build();
        try (ParquetFileReader reader = ParquetFileReader.open(file, options)) {
            FileMetaData meta = reader.getFooter().getFileMetaData();
            String avro = meta.getKeyValueMetaData().get(AVRO_SCHEMA_KEY);
            Schema schema = avro != null ? new Schema.Parser().parse(avro)
                    : new AvroSchemaConverter(new Configuration(false)).convert(meta.getSchema());
            return new Footer(schema, reader.getRecordCount());
        }
    }

    /**
     * Opens a reader of {@code file}'s rows as {@code readSchema}, which is the file's own schema or one that adds
     * nullable fields to it (those read as their default, null).
     */
    static ParquetReader<GenericRecord> reader(InputFile file, Schema readSchema) throws IOException {
        PlainParquetConfiguration conf = new PlainParquetConfiguration(Map.of(AVRO_READ_SCHEMA_KEY,
                readSchema.toString()));
        return AvroParquetReader.<GenericRecord>builder(file, conf).withDataModel(GenericData.get()).build();
    }
}
