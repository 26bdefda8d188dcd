package dev.sluice.lake.iceberg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.embedded.EmbeddedPlatformExtension;
import dev.sluice.embedded.PostgresServer;
import dev.sluice.embedded.S3Server;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.GenericFileWriterFactory;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.InternalRecordWrapper;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.OutputFileFactory;
import org.apache.iceberg.io.OutputFile;
import org.apache.iceberg.io.PositionOutputStream;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Maintenance of Iceberg tables laid out as Iceberg's sink lays them out (partitioned by the hour of
 * {@code __kafka_timestamp} and a region, one snapshot per commit, the sink's offsets in the summary), in the JDBC
 * catalog on the embedded PostgreSQL with files on the embedded S3 server: compaction rewrites each closed hour into
 * one file and keeps every row, time travel to the snapshot before it returns the same rows from the old files,
 * expiry keeps the sink's newest commit and deletes the compacted inputs once no kept snapshot needs them, and
 * orphan removal deletes only unreferenced files older than the limit, and only the table's own.
 */
@ExtendWith(EmbeddedPlatformExtension.class)
class IcebergMaintenanceIT {

    private static final Instant TEN = Instant.parse("2026-03-07T10:00:00Z");
    /** Twenty minutes into the third hour: hours 10 and 11 are closed (closed delay 15 min), 12 is open. */
    private static final Clock AT_12_20 = Clock.fixed(TEN.plus(Duration.ofMinutes(140)), ZoneOffset.UTC);
    private static final Schema SCHEMA = new Schema(
            Types.NestedField.required(1, "id", Types.LongType.get()),
            Types.NestedField.required(2, "region", Types.StringType.get()),
            Types.NestedField.optional(3, "__kafka_timestamp", Types.TimestampType.withZone()));
    private static final PartitionSpec SPEC = PartitionSpec.builderFor(SCHEMA).hour("__kafka_timestamp")
            .identity("region").build();
    private static final IcebergMaintenanceSettings SETTINGS = new IcebergMaintenanceSettings(
            Duration.ofMinutes(15), 2, 128L << 20, Duration.ZERO, 1, Duration.ofDays(3));

    private static JdbcCatalog catalog;
    private static S3Server s3;

    @BeforeAll
    static void catalog(PostgresServer postgres, S3Server server) {
        s3 = server;
        catalog = new IcebergCatalogSettings("sluice", postgres.jdbcUrl(PostgresServer.ICEBERG_CATALOG_DB),
                postgres.icebergLogin().user(), postgres.icebergLogin().password(),
                "s3://" + S3Server.LAKE_BUCKET + "/iceberg", s3.endpoint(), s3.region(), s3.accessKey(),
                s3.secretKey()).open();
        if (!catalog.namespaceExists(Namespace.of("maintenance_it"))) {
            catalog.createNamespace(Namespace.of("maintenance_it"));
        }
    }

    @AfterAll
    static void close() throws IOException {
        if (catalog != null) {
            catalog.close();
        }
    }

    @Test
    void closedHoursBecomeOneFileEachWithEveryRowAndTimeTravelStillSeesTheSmallFiles() throws IOException {
        Table table = newTable("compaction");
        Map<Long, Record> rows = new HashMap<>();
        long id = 0;
        // Hour 10: three files in EU, three in US; hour 11: two in EU; hour 12 (open): three in EU.
        for (int[] hourRegionFiles : new int[][] {{0, 0, 3}, {0, 1, 3}, {1, 0, 2}, {2, 0, 3}}) {
            for (int file = 0; file < hourRegionFiles[2]; file++) {
                id = append(table, hourRegionFiles[0], hourRegionFiles[1] == 0 ? "EU" : "US", id, 25, rows);
            }
        }
        table.refresh();
        Snapshot before = table.currentSnapshot();
        assertEquals(11, files(table, before.snapshotId()).size());

        IcebergCompactor.Outcome outcome = new IcebergCompactor(SETTINGS, AT_12_20).compact(table);

        assertEquals(new IcebergCompactor.Outcome(3, 8, 3, 0), outcome);
        table.refresh();
        Snapshot after = table.currentSnapshot();
        assertEquals("replace", after.operation());
        assertEquals("compaction", after.summary().get(IcebergCompactor.OPERATION_PROPERTY));
        Map<String, Integer> perPartition = new HashMap<>();
        for (DataFile file : files(table, after.snapshotId())) {
            perPartition.merge(file.partition().toString(), 1, Integer::sum);
        }
        assertEquals(4, perPartition.size(), perPartition.toString());
        assertEquals(List.of(1, 1, 1, 3), perPartition.values().stream().sorted().toList(), perPartition.toString());
        assertEquals(rows, read(table, after.snapshotId()), "every row once, with the same content");
        assertEquals(rows, read(table, before.snapshotId()), "time travel to before the compaction: same rows");
        assertEquals(11, files(table, before.snapshotId()).size(), "the old snapshot still reads the small files");

        assertEquals(new IcebergCompactor.Outcome(0, 0, 0, 0), new IcebergCompactor(SETTINGS, AT_12_20)
                .compact(table), "a second run finds nothing to do");
    }

    @Test
    void expiryKeepsTheSinksNewestCommitAndThenDeletesTheCompactedInputs() throws IOException {
        Table table = newTable("expiry");
        Map<Long, Record> rows = new HashMap<>();
        long id = 0;
        for (int file = 0; file < 3; file++) {
            id = append(table, 0, "EU", id, 10, rows);
        }
        sinkCommit(table, "commit-1");
        table.refresh();
        Snapshot sinkCommit = table.currentSnapshot();
        List<String> smallFiles = files(table, sinkCommit.snapshotId()).stream().map(DataFile::location).toList();
        new IcebergCompactor(SETTINGS, AT_12_20).compact(table);
        Clock later = Clock.offset(Clock.systemUTC(), Duration.ofHours(1));
        SnapshotRetention retention = new SnapshotRetention(SETTINGS, later);

        // Everything is older than the maximum age, but the sink's last commit is the compaction's parent.
        assertEquals(olderThan(table, sinkCommit), retention.expire(table), "the appends before the sink's commit");
        table.refresh();
        assertNotNull(table.snapshot(sinkCommit.snapshotId()), "the sink's newest commit is kept");
        smallFiles.forEach(file -> assertTrue(exists(file), "still referenced by the kept commit: " + file));

        // The sink commits again on top of the compaction: now nothing needs the small files.
        append(table, 1, "EU", id, 10, rows);
        sinkCommit(table, "commit-2");
        table.refresh();
        Snapshot secondCommit = table.currentSnapshot();
        assertEquals(olderThan(table, secondCommit), retention.expire(table), "all before the sink's new commit");
        table.refresh();
        assertEquals(null, table.snapshot(sinkCommit.snapshotId()));
        smallFiles.forEach(file -> assertFalse(exists(file), "deleted with the last snapshot that used it: " + file));
        assertEquals(rows, read(table, table.currentSnapshot().snapshotId()), "no row lost");
    }

    @Test
    void orphansGoOnlyWhenOlderThanTheLimitAndOnlyFromTheirOwnTable() throws IOException {
        Table table = newTable("orphans");
        // Its name starts with the whole name of the first: a plain prefix listing would take its files too.
        Table neighbour = catalog.createTable(TableIdentifier.of(Namespace.of("maintenance_it"),
                TableIdentifier.parse(table.name()).name() + "_next"), SCHEMA, SPEC);
        Map<Long, Record> rows = new HashMap<>();
        append(table, 0, "EU", 0, 10, rows);
        Map<Long, Record> neighbourRows = new HashMap<>();
        append(neighbour, 0, "EU", 0, 10, neighbourRows);
        // A data file written but never committed (a sink task that crashed before announcing it), and a stray
        // object under metadata/.
        DataFile uncommitted = write(table, 0, "EU", 1000, 5, new HashMap<>());
        String stray = table.location() + "/metadata/stray-" + UUID.randomUUID() + ".avro";
        writeBytes(table, stray);

        assertEquals(0, new OrphanFiles(SETTINGS, Clock.systemUTC()).remove(table), "young files stay");
        assertTrue(exists(uncommitted.location()));

        Clock fourDaysOn = Clock.offset(Clock.systemUTC(), Duration.ofDays(4));
        assertEquals(2, new OrphanFiles(SETTINGS, fourDaysOn).remove(table));
        assertFalse(exists(uncommitted.location()));
        assertFalse(exists(stray));
        table.refresh();
        assertEquals(rows, read(table, table.currentSnapshot().snapshotId()), "every committed file is still there");
        neighbour.refresh();
        assertEquals(neighbourRows, read(neighbour, neighbour.currentSnapshot().snapshotId()),
                "the table whose name starts with the same letters keeps its files");
        assertEquals(0, new OrphanFiles(SETTINGS, fourDaysOn).remove(table), "nothing left to remove");
    }

    @Test
    void aPassOverTheCatalogMaintainsEveryTable() throws IOException {
        Table table = newTable("pass");
        Map<Long, Record> rows = new HashMap<>();
        long id = 0;
        for (int file = 0; file < 2; file++) {
            id = append(table, 0, "US", id, 5, rows);
        }
        List<IcebergMaintenance.TableReport> reports = new IcebergMaintenance(catalog, SETTINGS, AT_12_20)
                .run(Namespace.of("maintenance_it"));
        IcebergMaintenance.TableReport report = reports.stream()
                .filter(r -> r.table().equals(table.name().substring(table.name().indexOf('.') + 1)))
                .findFirst().orElseThrow(() -> new AssertionError("no report for " + table.name() + ": " + reports));
        assertEquals(1, report.compaction().partitionsCompacted(), report.toString());
        table.refresh();
        assertEquals(rows, read(table, table.currentSnapshot().snapshotId()));
    }

    /**
     * Retention by zone: the hours that ended before the zone's retention go as one delete commit (whole files, the
     * rows of later hours stay, time travel still reads them), a second pass commits nothing, a zone without a
     * retention is not touched, and snapshot expiry deletes the retired hours' files from S3 once the delete commit
     * itself has expired.
     */
    @Test
    void hoursPastTheirZonesRetentionGoInOneDeleteCommitAndExpiryThenDeletesTheirFiles() throws IOException {
        Table table = newTable("retention");
        Map<Long, Record> rows = new HashMap<>();
        long id = append(table, 0, "EU", 0, 5, new HashMap<>());   // hour 10: retired
        id = append(table, 0, "EU", id, 5, new HashMap<>());
        id = append(table, 0, "US", id, 5, new HashMap<>());
        id = append(table, 1, "EU", id, 5, rows);                  // hour 11 ended 12:00, after the cutoff 11:20
        append(table, 2, "EU", id, 5, rows);                       // hour 12: open
        table.refresh();
        Snapshot before = table.currentSnapshot();
        List<String> hourTen = files(table, before.snapshotId()).stream()
                .filter(file -> file.partition().get(0, Integer.class) == hourOf(TEN)).map(DataFile::location)
                .toList();
        assertEquals(3, hourTen.size());
        // Zone maintenance_it keeps one hour: at 12:20 the cutoff is 11:20, so hour 10 (ended 11:00) goes.
        PartitionRetention retention = new PartitionRetention(Map.of("maintenance_it", Duration.ofHours(1)),
                Duration.ofMinutes(15), AT_12_20);
        String name = table.name().substring(table.name().indexOf('.') + 1);

        assertEquals(3, retention.expire(table, name));

        table.refresh();
        Snapshot retired = table.currentSnapshot();
        assertEquals("delete", retired.operation());
        assertEquals("retention", retired.summary().get(IcebergCompactor.OPERATION_PROPERTY));
        assertEquals(before.snapshotId(), retired.parentId(), "one commit");
        assertEquals(rows, read(table, retired.snapshotId()), "the later hours keep every row");
        assertEquals(25, read(table, before.snapshotId()).size(), "time travel still reads the retired hour");
        assertEquals(0, retention.expire(table, name), "nothing left to retire");
        table.refresh();
        assertEquals(retired.snapshotId(), table.currentSnapshot().snapshotId(), "and no empty commit");
        assertEquals(0, new PartitionRetention(Map.of("silver", Duration.ofHours(1)), Duration.ofMinutes(15),
                AT_12_20).expire(table, name), "a zone without a retention is not touched");

        hourTen.forEach(file -> assertTrue(exists(file), "kept while a snapshot references it: " + file));
        SnapshotRetention expiry = new SnapshotRetention(SETTINGS,
                Clock.offset(Clock.systemUTC(), Duration.ofHours(1)));
        expiry.expire(table);
        hourTen.forEach(file -> assertTrue(exists(file), "the retention's own commit is the one kept: " + file));
        // Iceberg deletes a removed file when the snapshot that removed it expires: after the sink's next commit.
        append(table, 2, "EU", 1000, 5, rows);
        expiry.expire(table);
        hourTen.forEach(file -> assertFalse(exists(file), "deleted with the snapshots that used it: " + file));
        table.refresh();
        assertEquals(rows, read(table, table.currentSnapshot().snapshotId()));
    }

    private static int hourOf(Instant instant) {
        return (int) (instant.toEpochMilli() / 3_600_000L);
    }

    /**
     * The lake's status reads the sink's commits from the snapshots: each append with its files and its oldest
     * record time (the lower bound of __kafka_timestamp), not the sink's empty offset commits, not compaction's
     * rewrite; and only those after the last one seen of the table.
     */
    @Test
    void sinkCommitsAreTheSnapshotsThatAddRowsWithTheirOldestRecordTime() throws IOException {
        Table table = newTable("commits");
        String name = table.name().substring(table.name().indexOf('.') + 1);
        Map<Long, Record> rows = new HashMap<>();
        append(table, 0, "EU", 0, 10, rows);       // records at 10:00:00 .. 10:00:09
        append(table, 1, "EU", 10, 10, rows);      // 11:00:10 .. 11:00:19
        sinkCommit(table, "offsets-only");
        append(table, 0, "EU", 20, 10, rows);      // 10:00:20 .. 10:00:29
        new IcebergCompactor(SETTINGS, AT_12_20).compact(table);
        table.refresh();
        assertEquals("replace", table.currentSnapshot().operation(), "the compaction committed");

        List<SinkCommits.Commit> commits = new SinkCommits(catalog).after(Map.of(), 0).stream()
                .filter(c -> c.table().equals(name)).toList();

        assertEquals(List.of(1, 1, 1), commits.stream().map(SinkCommits.Commit::addedDataFiles).toList(),
                commits.toString());
        assertEquals(List.of(TEN, TEN.plusSeconds(3610), TEN.plusSeconds(20)), commits.stream()
                .map(c -> Instant.ofEpochMilli(c.oldestRecordMillis().orElseThrow())).toList());
        List<SinkCommits.Commit> later = new SinkCommits(catalog).after(
                Map.of(name, commits.get(1).committedAtMillis()), 0).stream().filter(c -> c.table().equals(name))
                .toList();
        assertEquals(List.of(commits.get(2)), later, "only what was committed after the last commit seen");
    }

    private static Table newTable(String prefix) {
        TableIdentifier id = TableIdentifier.of(Namespace.of("maintenance_it"), prefix + "_"
                + UUID.randomUUID().toString().substring(0, 8));
        return catalog.createTable(id, SCHEMA, SPEC);
    }

    /** One sink-like commit of {@code count} rows in hour {@code 10 + hour}; returns the next id. */
    private static long append(Table table, int hour, String region, long firstId, int count,
            Map<Long, Record> rows) throws IOException {
        DataFile file = write(table, hour, region, firstId, count, rows);
        table.newAppend().appendFile(file).commit();
        return firstId + count;
    }

    /** An empty append carrying the sink's offsets in its summary, as Iceberg's coordinator commits them. */
    private static void sinkCommit(Table table, String commitId) {
        table.newAppend().set(SnapshotRetention.SINK_OFFSETS_PREFIX + "connect-it", "{\"0\":" + commitId.length()
                + "}").set("kafka.connect.commit-id", commitId).commit();
    }

    private static DataFile write(Table table, int hour, String region, long firstId, int count,
            Map<Long, Record> rows) throws IOException {
        OffsetDateTime at = TEN.plus(Duration.ofHours(hour)).atOffset(ZoneOffset.UTC);
        GenericRecord partitionRow = GenericRecord.create(SCHEMA);
        partitionRow.setField("region", region);
        partitionRow.setField("__kafka_timestamp", at);
        PartitionKey partition = new PartitionKey(table.spec(), SCHEMA);
        partition.partition(new InternalRecordWrapper(SCHEMA.asStruct()).wrap(partitionRow));
        DataWriter<Record> writer = new GenericFileWriterFactory.Builder(table).dataFileFormat(FileFormat.PARQUET)
                .dataSchema(SCHEMA).build().newDataWriter(OutputFileFactory.builderFor(table, 1, firstId)
                        .format(FileFormat.PARQUET).build().newOutputFile(table.spec(), partition), table.spec(),
                        partition);
        try (writer) {
            for (long id = firstId; id < firstId + count; id++) {
                GenericRecord row = GenericRecord.create(SCHEMA);
                row.setField("id", id);
                row.setField("region", region);
                row.setField("__kafka_timestamp", at.plusSeconds(id % 3000));
                writer.write(row);
                rows.put(id, row);
            }
        }
        return writer.toDataFile();
    }

    private static int olderThan(Table table, Snapshot snapshot) {
        int older = 0;
        for (Snapshot each : table.snapshots()) {
            older += each.timestampMillis() < snapshot.timestampMillis() ? 1 : 0;
        }
        return older;
    }

    private static List<DataFile> files(Table table, long snapshotId) throws IOException {
        List<DataFile> files = new ArrayList<>();
        try (CloseableIterable<FileScanTask> tasks = table.newScan().useSnapshot(snapshotId).planFiles()) {
            tasks.forEach(task -> files.add(task.file().copy()));
        }
        return files;
    }

    private static Map<Long, Record> read(Table table, long snapshotId) throws IOException {
        Map<Long, Record> rows = new HashMap<>();
        Set<Long> seen = new HashSet<>();
        try (CloseableIterable<Record> records = IcebergGenerics.read(table).useSnapshot(snapshotId).build()) {
            for (Record row : records) {
                long id = (Long) row.getField("id");
                assertTrue(seen.add(id), "duplicate id " + id);
                rows.put(id, row.copy());
            }
        }
        return rows;
    }

    private static boolean exists(String location) {
        String key = location.substring(("s3://" + S3Server.LAKE_BUCKET + "/").length());
        try {
            s3.client().headObject(b -> b.bucket(S3Server.LAKE_BUCKET).key(key));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw e;
        }
    }

    private static void writeBytes(Table table, String location) throws IOException {
        OutputFile out = table.io().newOutputFile(location);
        try (PositionOutputStream stream = out.create()) {
            stream.write(new byte[] {1, 2, 3});
        }
    }
}
