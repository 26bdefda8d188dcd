package dev.sluice.connect.iceberg;

import static dev.sluice.connect.iceberg.IcebergSinkFixture.DEADLINE;
import static dev.sluice.connect.iceberg.IcebergSinkFixture.TEN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.connect.admin.ConnectAwait;
import dev.sluice.connect.admin.ConnectRestClient;
import dev.sluice.connect.iceberg.IcebergSinkFixture.Expected;
import dev.sluice.connect.iceberg.IcebergSinkFixture.Sink;
import dev.sluice.connect.iceberg.IcebergSinkFixture.Timed;
import dev.sluice.embedded.Await;
import dev.sluice.embedded.ConnectWorker;
import dev.sluice.embedded.EmbeddedPlatformExtension;
import dev.sluice.embedded.KafkaBroker;
import dev.sluice.embedded.PostgresServer;
import dev.sluice.embedded.RegistryServer;
import dev.sluice.embedded.S3Server;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.PartitionField;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Apache Iceberg's sink, registered from the {@code iceberg-sink} template in the real Connect worker, writes an Avro
 * topic (two partitions, through the registry's converter) into an Iceberg table of the JDBC catalog on the embedded
 * PostgreSQL, with its files on the embedded S3 server through S3FileIO. Read back with Iceberg's generic reader, the
 * table holds every record of the topic exactly once with the same content, also across a restart of the connector
 * and its tasks between two batches, and across a restart while a commit is held halfway (files announced and source
 * offsets committed, snapshot not yet in the catalog); it is partitioned by hour of the record timestamp and the
 * consumer group's committed offsets (committed by the sink in its Kafka transactions) are the topic's end offsets.
 */
@ExtendWith(EmbeddedPlatformExtension.class)
class IcebergSinkIT {

    private static final int BATCH = 150;

    @TempDir
    static Path temp;

    private static ConnectRestClient rest;
    private static IcebergSinkFixture lake;

    @BeforeAll
    static void servers(KafkaBroker broker, ConnectWorker worker, S3Server server, PostgresServer pg,
            RegistryServer schemaRegistry) throws IOException {
        rest = new ConnectRestClient(worker.restUrl());
        lake = IcebergSinkFixture.open(broker, server, pg, schemaRegistry, temp);
    }

    @AfterAll
    static void closeCatalog() throws IOException {
        if (lake != null) {
            lake.close();
        }
    }

    /**
     * Every record once across a restart, tombstones included. Between the batches come tombstones (null values, as
     * silver's and gold's compacted topics carry deletes) for ids of the first batch: each becomes one delete-marker
     * row (its key, {@code __deleted = true}, null value columns) in the hour of its timestamp, every other row has
     * {@code __deleted = false}, none is dead-lettered, the table holds as many rows as the topic has records, and
     * the current state by the readers' rule (docs/lake/iceberg.md, "Tombstones") lacks exactly the deleted ids.
     */
    @Test
    void tableHoldsEveryRecordOfTheTopicOnceAcrossARestart() throws Exception {
        Sink sink = lake.registerSink(rest);
        String topic = sink.topic(), name = sink.name(), suffix = sink.suffix();
        TableIdentifier id = sink.table();
        Map<Long, Expected> expected = new HashMap<>();
        Map<Long, Instant> tombstones = new HashMap<>();
        lake.produce(topic, 0, BATCH, expected);
        Await.until("first batch in the table", DEADLINE, () -> lake.rowCount(id) == BATCH);

        rest.restart(name, true, false);
        ConnectAwait.running(rest, name, 2, DEADLINE);
        lake.sendTombstones(topic, 0, 10, tombstones);
        lake.produce(topic, BATCH, 2 * BATCH, expected);
        Await.until("both batches and the markers in the table", DEADLINE,
                () -> lake.rowCount(id) == 2 * BATCH + 10);
        Await.until("source offsets committed", DEADLINE, () -> lake.committedEverything(sink.group(), topic));
        assertEquals(0, lake.endOffsetsTotal(sink.deadLetterTopic()), "no tombstone was dead-lettered");
        assertEquals(lake.endOffsetsTotal(topic), lake.rowCount(id), "one row per record of the topic");

        Table table = lake.catalog().loadTable(id);
        PartitionField hour = table.spec().fields().get(0);
        assertEquals("hour", hour.transform().toString(), table.spec().toString());
        assertEquals(table.schema().findField("__kafka_timestamp").fieldId(), hour.sourceId(), table.spec().toString());
        assertEquals("region", table.spec().fields().get(1).name(), table.spec().toString());
        lake.assertExactly(table, topic, expected, tombstones);
        Set<Long> current = new HashSet<>(expected.keySet());
        current.removeAll(tombstones.keySet());
        assertEquals(current, lake.currentIds(table), "the current state: every id but the deleted ones");

        // Three hours by three regions: each file of rows lies in one of the nine partitions, and all nine are there;
        // the markers have no region, so theirs are in the same hours with a null region.
        Set<String> partitions = new HashSet<>();
        Set<String> markerPartitions = new HashSet<>();
        try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
            for (FileScanTask task : tasks) {
                DataFile file = task.file();
                (file.partition().get(1, String.class) == null ? markerPartitions : partitions)
                        .add(file.partition().toString());
                assertTrue(file.location().startsWith("s3://" + S3Server.LAKE_BUCKET + "/iceberg/silver/iceberg_it_"
                        + suffix + "/data/"), file.location());
            }
        }
        assertEquals(9, partitions.size(), partitions.toString());
        assertTrue(!markerPartitions.isEmpty() && markerPartitions.size() <= 3, markerPartitions.toString());
        ConnectAwait.deleteAndAwaitGone(rest, name, DEADLINE);
    }

    /**
     * The crash in the middle of a commit: the tasks have written a batch's files and announced them on the control
     * topic, committing the source offsets with the announcement, but the coordinator's catalog update is held (a
     * row lock on the table's catalog row, taken as the catalog's role) when the connector and its tasks are
     * restarted. Once the lock goes, the stuck coordinator and the new one may both try to commit the same files;
     * the table must end up with every record once.
     */
    @Test
    void aCommitCutShortByARestartIsCompletedOnceAndOnlyOnce() throws Exception {
        Sink sink = lake.registerSink(rest);
        String topic = sink.topic(), name = sink.name();
        TableIdentifier id = sink.table();
        Map<Long, Expected> expected = new HashMap<>();
        lake.produce(topic, 0, BATCH, expected);
        Await.until("first batch in the table", DEADLINE, () -> lake.rowCount(id) == BATCH);

        try (Connection lock = lake.lockCatalogRow(id)) {
            lake.produce(topic, BATCH, 2 * BATCH, expected);
            // The tasks hand over their files together with the source offsets, in one transaction each: offsets
            // beyond the first batch mean records that are only in files the blocked commit would publish. (Not
            // necessarily all of the batch: the rest waits for a commit cycle, which the blocked one holds up.)
            Await.until("part of the second batch announced", DEADLINE,
                    () -> lake.committedTotal(sink.group(), topic) > BATCH);
            assertEquals(BATCH, lake.rowCount(id),
                    "nothing of the second batch is committed while the row is locked");

            rest.restart(name, true, false);
            ConnectAwait.running(rest, name, 2, DEADLINE);
            lock.rollback();
        }
        // A third batch after the release: the new coordinator commits it only after it has dealt with the second
        // batch's announcements, so a late duplicate of those would be in the table by then.
        lake.produce(topic, 2 * BATCH, 2 * BATCH + 30, expected);
        Await.until("all three batches in the table", DEADLINE, () -> lake.rowCount(id) >= 2 * BATCH + 30);
        Await.until("source offsets committed", DEADLINE, () -> lake.committedEverything(sink.group(), topic));
        lake.assertExactly(lake.catalog().loadTable(id), topic, expected);
        assertEquals(lake.endOffsetsTotal(topic), lake.rowCount(id), "one row per record of the topic");
        ConnectAwait.deleteAndAwaitGone(rest, name, DEADLINE);
    }

    /**
     * Issue 18, item 3: the table follows the schema the records carry. A new optional field (a compatible change in
     * the registry) becomes a new optional column of the same table, null in the rows written before; a field whose
     * type changes incompatibly (double to a non-numeric string) fails the task with the record and value named in
     * its trace, and the table keeps its rows and its schema — nothing of the bad batch is committed.
     */
    @Test
    void anAddedOptionalFieldBecomesAColumnAndAnIncompatibleChangeFailsTheTask() throws Exception {
        Sink sink = lake.registerSink(rest);
        String topic = sink.topic(), name = sink.name();
        TableIdentifier id = sink.table();
        Map<Long, Expected> expected = new HashMap<>();
        lake.produce(topic, 0, 50, expected);
        Await.until("first batch in the table", DEADLINE, () -> lake.rowCount(id) == 50);
        UUID tableUuid = lake.catalog().loadTable(id).uuid();

        Schema withChannel = SchemaBuilder.record("Order").namespace("dev.sluice.it").fields()
                .requiredLong("id").requiredString("region").requiredDouble("amount").optionalString("note")
                .optionalString("channel").endRecord();
        Map<Long, String> channels = new HashMap<>();
        List<Timed> batch = new ArrayList<>();
        for (long key = 50; key < 70; key++) {
            GenericData.Record order = new GenericData.Record(withChannel);
            order.put("id", key);
            order.put("region", "EU");
            order.put("amount", key * 1.25);
            order.put("note", "note-" + key);
            order.put("channel", "web-" + key);
            Instant timestamp = TEN.plusSeconds(key * 60);
            batch.add(new Timed(timestamp, order));
            expected.put(key, new Expected("EU", key * 1.25, "note-" + key, timestamp));
            channels.put(key, "web-" + key);
        }
        lake.send(topic, batch);
        Await.until("the batch with the new field in the table", DEADLINE, () -> lake.rowCount(id) == 70);
        Table table = lake.catalog().loadTable(id);
        assertEquals(tableUuid, table.uuid(), "the same table, not a new one");
        assertTrue(table.schema().findField("channel").isOptional(), table.schema().toString());
        lake.assertExactly(table, topic, expected);
        try (CloseableIterable<Record> rows = IcebergGenerics.read(table).build()) {
            for (Record row : rows) {
                assertEquals(channels.get((Long) row.getField("id")), row.getField("channel"),
                        "channel of " + row.getField("id") + " (null before the field existed)");
            }
        }

        Schema amountAsText = SchemaBuilder.record("Order").namespace("dev.sluice.it").fields()
                .requiredLong("id").requiredString("region").requiredString("amount").optionalString("note")
                .endRecord();
        List<Timed> incompatible = new ArrayList<>();
        for (long key = 70; key < 75; key++) {
            GenericData.Record order = new GenericData.Record(amountAsText);
            order.put("id", key);
            order.put("region", "EU");
            // Not a number: Iceberg's sink parses numeric strings into a double column (checked: "12.50" was
            // written as 12.5 without a word), so only a value it cannot parse shows the change.
            order.put("amount", "twelve fifty");
            order.put("note", null);
            incompatible.add(new Timed(TEN.plusSeconds(key * 60), order));
        }
        lake.send(topic, incompatible);
        Await.until("a task failed on the incompatible change", DEADLINE, () -> failedTrace(name) != null);
        String trace = failedTrace(name);
        // Iceberg's converter names the record and the value, not the field.
        assertTrue(trace.contains("An error occurred converting record, topic: " + topic)
                && trace.contains("twelve fifty"), "the failure names the record and its value:\n" + trace);
        table = lake.catalog().loadTable(id);
        assertEquals(Types.DoubleType.get(), table.schema().findField("amount").type());
        lake.assertExactly(table, topic, expected);
        ConnectAwait.deleteAndAwaitGone(rest, name, DEADLINE);
    }

    /** The trace of the first FAILED task of {@code connector}, or null while none has failed. */
    private static String failedTrace(String connector) {
        for (var task : rest.status(connector).path("tasks")) {
            if ("FAILED".equals(task.path("state").asText())) {
                return task.path("trace").asText();
            }
        }
        return null;
    }
}
