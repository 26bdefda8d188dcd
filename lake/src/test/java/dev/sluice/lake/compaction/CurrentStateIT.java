package dev.sluice.lake.compaction;

import static dev.sluice.lake.compaction.LakeFixture.BUCKET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.embedded.EmbeddedPlatformExtension;
import dev.sluice.embedded.S3Server;
import dev.sluice.lake.KafkaColumns;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Current-state snapshots of a gold changelog on a real S3 server: four closed hours and an open one, with updates,
 * tombstones and keys recurring across hours. Every snapshot is compared with a plain fold of the changelog.
 */
@ExtendWith(EmbeddedPlatformExtension.class)
class CurrentStateIT {

    /**
     * The first hour of changelog; the clock starts 40 minutes into the fifth (open) hour. It lies ahead of the S3
     * server's clock, so that the objects written count as older than a zero orphan grace.
     */
    private static final Instant FIRST_HOUR = Instant.now().truncatedTo(ChronoUnit.DAYS).plus(Duration.ofDays(30));
    private static final int CLOSED_HOURS = 4;

    private static S3Client s3;

    @BeforeAll
    static void connect(S3Server server) {
        s3 = server.client();
    }

    /** A clock the test moves. */
    private static final class TestClock extends Clock {
        private Instant now;

        TestClock(Instant now) {
            this.now = now;
        }

        void set(Instant instant) {
            now = instant;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    /** The crash: thrown by the fault injector, it stops the run as a dying process would. */
    private static final class SimulatedCrash extends RuntimeException {
        SimulatedCrash(CompactionStep step, LakePartition where) {
            super("simulated crash at " + step + " of " + where);
        }
    }

    /** A lake with the changelog of four closed hours and one open hour, and a clock inside the open one. */
    private record Lake(LakeFixture fixture, GoldChangelog changelog, List<LakePartition> hours, TestClock clock) {

        LakePartition snapshotOf(LakePartition hour) {
            return new LakePartition(CurrentStateSettings.locationOf(fixture.prefix()), hour.topic(), hour.path());
        }
    }

    private static Lake lake(String name) {
        LakeFixture fixture = new LakeFixture(s3, "it-current/" + name + "-" + UUID.randomUUID());
        GoldChangelog changelog = new GoldChangelog(fixture, 7);
        List<LakePartition> hours = new ArrayList<>();
        for (int h = 0; h <= CLOSED_HOURS; h++) {
            LakePartition hour = changelog.hour(FIRST_HOUR.plus(Duration.ofHours(h)));
            changelog.write(hour, 1 + h % 2, 40, 30);
            hours.add(hour);
        }
        TestClock clock = new TestClock(FIRST_HOUR.plus(Duration.ofHours(CLOSED_HOURS)).plus(Duration.ofMinutes(40)));
        return new Lake(fixture, changelog, hours, clock);
    }

    private static CurrentStatePublisher publisher(Lake lake, CurrentStateSettings settings, FaultInjector faults) {
        return new CurrentStatePublisher(s3, CompactionIT.settings(lake.fixture().prefix()).build(), settings,
                lake.clock(), faults);
    }

    private static CurrentStatePublisher publisher(Lake lake) {
        return publisher(lake, CurrentStateSettings.of(List.of("gold.*")), FaultInjector.NONE);
    }

    /** The rows of a snapshot's published state, as sorted text. */
    private static List<String> snapshotRows(Lake lake, LakePartition hour) {
        return lake.fixture().publishedRows(lake.snapshotOf(hour)).stream().map(GenericRecord::toString).sorted()
                .toList();
    }

    private static boolean published(Lake lake, LakePartition hour) {
        return new ManifestStore(s3, BUCKET).read(lake.snapshotOf(hour)).isPresent();
    }

    /** Every object under a prefix with its entity tag: what changed, appeared or went away. */
    private static Map<String, String> objects(String prefix) {
        Map<String, String> objects = new TreeMap<>();
        for (S3Object object : s3.listObjectsV2Paginator(b -> b.bucket(BUCKET).prefix(prefix + "/")).contents()) {
            objects.put(object.key(), object.eTag());
        }
        return objects;
    }

    private static void assertEveryClosedHourIsTheFold(Lake lake) {
        for (int h = 0; h < CLOSED_HOURS; h++) {
            LakePartition hour = lake.hours().get(h);
            List<String> expected = lake.changelog().expectedState(hour.path());
            assertEquals(expected, snapshotRows(lake, hour), "snapshot of " + hour.path());
        }
    }

    @Test
    void everyClosedHourGetsTheLatestRowPerKeyAndTheChangelogIsUntouched() {
        Lake lake = lake("publish");
        Map<String, String> changelogBefore = objects(lake.fixture().prefix());

        CurrentStateReport report = publisher(lake).publish();

        assertTrue(report.succeeded(), report.toString());
        assertEquals(CLOSED_HOURS, report.count(CurrentStateResult.Outcome.PUBLISHED), report.toString());
        assertEveryClosedHourIsTheFold(lake);
        LakePartition last = lake.hours().get(CLOSED_HOURS - 1);
        assertTrue(lake.changelog().tombstones(last.path()) > 10, "the changelog deletes keys");
        assertTrue(snapshotRows(lake, last).size() < 30, "deleted keys are gone");
        CurrentStateResult lastResult = report.snapshots().get(CLOSED_HOURS - 1);
        assertEquals(snapshotRows(lake, last).size(), lastResult.keys());
        CurrentStateResult previous = report.snapshots().get(CLOSED_HOURS - 2);
        assertEquals(snapshotRows(lake, lake.hours().get(CLOSED_HOURS - 2)).size(), previous.keys());
        assertTrue(previous.deletedKeys() > 0, "deleted keys are remembered for the next hour");
        assertEquals(previous.keys() + previous.deletedKeys() + 40 * 2 * 2, lastResult.rowsIn(),
                "the previous snapshot, its delete rows and the hour's changes");
        assertFalse(published(lake, lake.hours().get(CLOSED_HOURS)), "the open hour has no snapshot");
        assertTrue(lake.fixture().directoryNames(lake.snapshotOf(lake.hours().get(CLOSED_HOURS))).isEmpty());
        assertEquals(changelogBefore, objects(lake.fixture().prefix()), "the changelog is untouched");

        Map<String, String> snapshotsBefore = objects(CurrentStateSettings.locationOf(lake.fixture().prefix()));
        CurrentStateReport again = publisher(lake).publish();

        assertTrue(again.succeeded(), again.toString());
        assertTrue(again.snapshots().isEmpty(), "nothing new: nothing done " + again);
        assertEquals(snapshotsBefore, objects(CurrentStateSettings.locationOf(lake.fixture().prefix())),
                "a rerun changes no object");
    }

    /**
     * The reader's query of docs/lake/current-state.md: the files the newest manifest lists. {@code ROOT} stands
     * for {@code s3://lake/gold-current/gold.customer_totals}.
     */
    private static final String CURRENT_STATE_QUERY = """
            SET VARIABLE current_files = (
              WITH newest AS (
                SELECT filename, files
                FROM read_json('ROOT/*/*/*/*/_sluice_manifest.json', filename = true, hive_partitioning = false)
                ORDER BY filename DESC LIMIT 1)
              SELECT list(replace(filename, '_sluice_manifest.json', f.name))
              FROM newest, unnest(newest.files) AS t(f))
            """;

    @Test
    void duckDbReadsTheCurrentStateFromTheNewestSnapshot(@TempDir Path temp) throws Exception {
        Lake lake = lake("duckdb");
        publisher(lake).publish();
        String location = CurrentStateSettings.locationOf(lake.fixture().prefix());
        // DuckDB cannot reach the test's S3 server: the snapshots are read from a copy with the same layout,
        // unpublished leftovers included (there are none here, but the query would not read them).
        for (String key : objects(location).keySet()) {
            Path local = temp.resolve(key);
            Files.createDirectories(local.getParent());
            s3.getObject(b -> b.bucket(BUCKET).key(key), local);
        }
        String root = temp.resolve(location).resolve(GoldChangelog.TOPIC).toString().replace("'", "''");

        List<String> rows = new ArrayList<>();
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
             Statement statement = duck.createStatement()) {
            statement.execute(CURRENT_STATE_QUERY.replace("ROOT", root));
            try (ResultSet rs = statement.executeQuery("SELECT __kafka_key, total, orders, __kafka_partition, "
                    + "__kafka_offset FROM read_parquet(getvariable('current_files'))")) {
                while (rs.next()) {
                    rows.add(rs.getString(1) + "|" + rs.getDouble(2) + "|" + rs.getLong(3) + "|" + rs.getInt(4) + "|"
                            + rs.getLong(5));
                }
            }
        }

        LakePartition last = lake.hours().get(CLOSED_HOURS - 1);
        List<String> expected = lake.fixture().publishedRows(lake.snapshotOf(last)).stream()
                .map(r -> r.get(CurrentStateSettings.KAFKA_KEY_FIELD) + "|" + r.get("total") + "|" + r.get("orders")
                        + "|" + r.get(KafkaColumns.PARTITION) + "|" + r.get(KafkaColumns.OFFSET))
                .sorted().toList();
        assertEquals(lake.changelog().expectedState(last.path()).size(), expected.size());
        assertEquals(expected, rows.stream().sorted().toList(), "the newest closed hour, every key once");
    }

    @Test
    void theNextHourIsSnapshottedOnceClosedAndOldSnapshotsExpire() {
        Lake lake = lake("advance");
        publisher(lake).publish();
        Map<String, String> changelogBefore = objects(lake.fixture().prefix());

        lake.clock().set(lake.clock().instant().plus(Duration.ofHours(1)));
        CurrentStateSettings shortRetention = new CurrentStateSettings(List.of("gold.*"),
                SnapshotSpec.of(List.of(CurrentStateSettings.KAFKA_KEY_FIELD)), Duration.ofHours(3), 1000);
        CurrentStateReport report = publisher(lake, shortRetention, FaultInjector.NONE).publish();

        assertTrue(report.succeeded(), report.toString());
        LakePartition fifth = lake.hours().get(CLOSED_HOURS);
        assertEquals(1, report.count(CurrentStateResult.Outcome.PUBLISHED), report.toString());
        assertEquals(lake.changelog().expectedState(fifth.path()), snapshotRows(lake, fifth));
        // Now 5:40: hours ending by 2:40 are past the retention; of those, hour 1 (ended 2:00) is the newest and
        // stays, hour 0 goes.
        assertEquals(1, report.count(CurrentStateResult.Outcome.EXPIRED), report.toString());
        assertTrue(lake.fixture().directoryNames(lake.snapshotOf(lake.hours().get(0))).isEmpty(),
                "the expired snapshot is deleted, manifest and files");
        for (int h = 1; h <= CLOSED_HOURS; h++) {
            assertTrue(published(lake, lake.hours().get(h)), "hour " + h + " is kept");
        }
        assertEquals(changelogBefore, objects(lake.fixture().prefix()), "expiry deletes no changelog file");
    }

    @Test
    void lateDataRebuildsItsHourAndTheLaterOnes() {
        Lake lake = lake("late");
        publisher(lake).publish();
        Map<String, String> before = objects(CurrentStateSettings.locationOf(lake.fixture().prefix()));

        lake.changelog().write(lake.hours().get(1), 1, 10, 30);
        CurrentStateReport report = publisher(lake).publish();

        assertTrue(report.succeeded(), report.toString());
        assertEquals(CLOSED_HOURS - 1, report.count(CurrentStateResult.Outcome.REPLACED), report.toString());
        assertEveryClosedHourIsTheFold(lake);
        Map<String, String> after = objects(CurrentStateSettings.locationOf(lake.fixture().prefix()));
        String hourZero = lake.snapshotOf(lake.hours().get(0)).directory();
        assertEquals(filter(before, hourZero), filter(after, hourZero), "the hour before the late data stays");
        assertNotEquals(filter(before, lake.snapshotOf(lake.hours().get(3)).directory()),
                filter(after, lake.snapshotOf(lake.hours().get(3)).directory()));
        for (int h = 1; h < CLOSED_HOURS; h++) {
            LakePartition snapshot = lake.snapshotOf(lake.hours().get(h));
            PartitionManifest manifest = new ManifestStore(s3, BUCKET).read(snapshot).orElseThrow().manifest();
            assertEquals(2, manifest.generation(), "hour " + h + " rebuilt");
            assertTrue(manifest.garbage().isEmpty(), "the replaced files are deleted (gc-grace 0)");
            assertEquals(manifest.fileNames().stream().toList(), lake.fixture().directoryNames(snapshot).stream()
                    .filter(name -> !name.equals(PartitionManifest.FILE_NAME)).toList(), "only the new files");
            String hash = CurrentStatePlan.hashOf(manifest).orElseThrow();
            List<String> deletedKeys = lake.fixture().directoryNames(CurrentStateBuilder.deletedKeys(snapshot));
            assertFalse(deletedKeys.isEmpty(), "hour " + h + " remembers deleted keys");
            assertTrue(deletedKeys.stream().allMatch(name -> name.contains("+compacted+" + hash + "+")),
                    "the replaced delete rows are gone: " + deletedKeys);
        }
    }

    private static Map<String, String> filter(Map<String, String> objects, String directory) {
        Map<String, String> kept = new TreeMap<>();
        objects.forEach((key, etag) -> {
            if (key.startsWith(directory)) {
                kept.put(key, etag);
            }
        });
        return kept;
    }

    @ParameterizedTest
    @EnumSource(value = CompactionStep.class, names = {"PLANNED", "OUTPUT_OPEN", "OUTPUT_WRITTEN", "COMMITTED"})
    void aRunInterruptedMidWayPublishesNoPartialSnapshotAndTheRerunCompletes(CompactionStep step) {
        Lake lake = lake("crash-" + step);
        LakePartition crashHour = lake.snapshotOf(lake.hours().get(2));
        FaultInjector crash = (at, where) -> {
            if (at == step && where.equals(crashHour)) {
                throw new SimulatedCrash(at, where);
            }
        };

        CurrentStateReport crashed = publisher(lake, CurrentStateSettings.of(List.of("gold.*")), crash).publish();

        assertEquals(1, crashed.count(CurrentStateResult.Outcome.FAILED), crashed.toString());
        assertTrue(published(lake, lake.hours().get(1)), "the hours before are published");
        boolean committed = step == CompactionStep.COMMITTED;
        assertEquals(committed, published(lake, lake.hours().get(2)),
                "a crash before the manifest leaves no snapshot of the hour, one after it the whole snapshot");
        if (committed) {
            assertEquals(lake.changelog().expectedState(lake.hours().get(2).path()),
                    snapshotRows(lake, lake.hours().get(2)));
        } else {
            assertTrue(new LakePartitionReader(s3, BUCKET).published(crashHour).files().isEmpty());
        }
        if (step == CompactionStep.OUTPUT_WRITTEN) {
            assertFalse(lake.fixture().directoryNames(crashHour).isEmpty(), "the crash left a written output");
        }
        assertFalse(published(lake, lake.hours().get(3)), "the next hour waits for its predecessor");

        CurrentStateReport rerun = publisher(lake).publish();

        assertTrue(rerun.succeeded(), rerun.toString());
        assertEquals(committed ? 1 : 2, rerun.count(CurrentStateResult.Outcome.PUBLISHED), rerun.toString());
        assertEveryClosedHourIsTheFold(lake);
        for (int h = 0; h < CLOSED_HOURS; h++) {
            LakePartition snapshot = lake.snapshotOf(lake.hours().get(h));
            PartitionManifest manifest = new ManifestStore(s3, BUCKET).read(snapshot).orElseThrow().manifest();
            assertEquals(1, manifest.generation(), "no snapshot was published twice");
            assertEquals(manifest.fileNames().stream().toList(), lake.fixture().directoryNames(snapshot).stream()
                    .filter(name -> !name.equals(PartitionManifest.FILE_NAME)).toList(),
                    "the rerun wrote the crashed run's names over it: no stray file");
        }
    }

    @Test
    void anHourWithFilesTheSinkHasNotCheckpointedWaitsAndSoDoTheLaterOnes() {
        Lake lake = lake("waiting");
        long end = lake.changelog().nextOffset(0);
        // The sink's checkpoint of Kafka partition 0 as if the files of hours 2 and later were still in flight.
        LakePartition third = lake.hours().get(2);
        long firstOfThird = lake.fixture().publishedRows(third).stream()
                .filter(row -> (Integer) row.get(KafkaColumns.PARTITION) == 0)
                .mapToLong(row -> (Long) row.get(KafkaColumns.OFFSET)).min().orElseThrow();
        lake.fixture().checkpoint(GoldChangelog.TOPIC, 0, firstOfThird);

        CurrentStateReport waiting = publisher(lake).publish();

        assertEquals(2, waiting.count(CurrentStateResult.Outcome.PUBLISHED), waiting.toString());
        assertEquals(1, waiting.count(CurrentStateResult.Outcome.WAITING), waiting.toString());
        assertTrue(waiting.succeeded(), "waiting is not failing");
        assertFalse(published(lake, third));
        assertFalse(published(lake, lake.hours().get(3)));

        lake.fixture().checkpoint(GoldChangelog.TOPIC, 0, end);
        CurrentStateReport later = publisher(lake).publish();

        assertEquals(2, later.count(CurrentStateResult.Outcome.PUBLISHED), later.toString());
        assertEveryClosedHourIsTheFold(lake);
    }

    @Test
    void aSnapshotBeyondMaxKeysFailsNamingTheSettingAndPublishesNothing() {
        Lake lake = lake("max-keys");
        CurrentStateSettings small = new CurrentStateSettings(List.of("gold.*"),
                SnapshotSpec.of(List.of(CurrentStateSettings.KAFKA_KEY_FIELD)), Duration.ofDays(3), 5);

        CurrentStateReport report = publisher(lake, small, FaultInjector.NONE).publish();

        assertFalse(report.succeeded());
        assertEquals(1, report.snapshots().size(), "the first hour fails, the later ones wait: " + report);
        CurrentStateResult failed = report.snapshots().get(0);
        assertEquals(CurrentStateResult.Outcome.FAILED, failed.outcome());
        assertTrue(failed.detail().contains("sluice.compaction.current-state.max-keys"), failed.detail());
        assertFalse(published(lake, lake.hours().get(0)));
    }
}
