package dev.sluice.app.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;

import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.GenericFileWriterFactory;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.InternalRecordWrapper;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.OutputFileFactory;
import org.apache.iceberg.types.Types;

/**
 * An Iceberg table laid out as Iceberg's sink lays out the lake's (partitioned by the hour of
 * {@code __kafka_timestamp}, one snapshot per commit), written through the real catalog, for tests of what reads the
 * tables: maintenance and the lake's status.
 */
public final class SinkLikeIcebergTable {

    private static final Schema SCHEMA = new Schema(
            Types.NestedField.required(1, "id", Types.LongType.get()),
            Types.NestedField.optional(2, "__kafka_timestamp", Types.TimestampType.withZone()));
    private static final PartitionSpec SPEC = PartitionSpec.builderFor(SCHEMA).hour("__kafka_timestamp").build();

    private final Table table;
    private long nextId;

    private SinkLikeIcebergTable(Table table) {
        this.table = table;
    }

    /** Creates table {@code namespace.name} (and its namespace when missing). */
    public static SinkLikeIcebergTable create(Catalog catalog, String namespace, String name) {
        Namespace ns = Namespace.of(namespace);
        if (catalog instanceof SupportsNamespaces namespaces && !namespaces.namespaceExists(ns)) {
            namespaces.createNamespace(ns);
        }
        return new SinkLikeIcebergTable(catalog.createTable(TableIdentifier.of(ns, name), SCHEMA, SPEC));
    }

    /** One sink commit: a data file of {@code count} rows whose record times start at {@code first}, a second apart. */
    public void commit(Instant first, int count) {
        GenericRecord partitionRow = GenericRecord.create(SCHEMA);
        partitionRow.setField("__kafka_timestamp", first.atOffset(ZoneOffset.UTC));
        PartitionKey partition = new PartitionKey(table.spec(), SCHEMA);
        partition.partition(new InternalRecordWrapper(SCHEMA.asStruct()).wrap(partitionRow));
        DataWriter<Record> writer = new GenericFileWriterFactory.Builder(table).dataFileFormat(FileFormat.PARQUET)
                .dataSchema(SCHEMA).build().newDataWriter(OutputFileFactory.builderFor(table, 1, nextId)
                        .format(FileFormat.PARQUET).build().newOutputFile(table.spec(), partition), table.spec(),
                        partition);
        try (writer) {
            for (int i = 0; i < count; i++) {
                GenericRecord row = GenericRecord.create(SCHEMA);
                row.setField("id", nextId++);
                row.setField("__kafka_timestamp", first.plusSeconds(i).atOffset(ZoneOffset.UTC));
                writer.write(row);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        DataFile file = writer.toDataFile();
        table.newAppend().appendFile(file).commit();
    }
}
