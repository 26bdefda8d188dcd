package dev.sluice.lake.retention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.embedded.EmbeddedPlatformExtension;
import dev.sluice.embedded.S3Server;
import dev.sluice.lake.KafkaColumns;
import dev.sluice.lake.ObjectKeyNamer;
import dev.sluice.lake.OffsetCheckpoints;
import dev.sluice.lake.ParquetCodec;
import dev.sluice.lake.ParquetFileSettings;
import dev.sluice.lake.ParquetRecordWriter;
import dev.sluice.lake.compaction.CompactionEngine;
import dev.sluice.lake.compaction.CompactionSettings;
import dev.sluice.lake.compaction.FaultInjector;
import dev.sluice.lake.compaction.LakePartition;
import dev.sluice.lake.compaction.LakePartitionReader;
import dev.sluice.lake.compaction.PartitionManifest;
import dev.sluice.lake.compaction.PartitionResult;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The lake janitor against a real S3 server: partitions of three zones at ages on both sides of each retention,
 * a topic override, an open hour, a compacted partition, the sinks' checkpoints, and a stale and a fresh
 * multipart upload. A dry run changes nothing and reports exactly what a real run then deletes; a rerun is idle.
 */
@ExtendWith(EmbeddedPlatformExtension.class)
class LakeJanitorIT {

    private static final String BUCKET = S3Server.LAKE_BUCKET;
    private static final Schema ROW = SchemaBuilder.record("Row").namespace("dev.sluice.test").fields()
            .requiredLong("id").requiredString("text")
            .requiredInt(KafkaColumns.PARTITION).requiredLong(KafkaColumns.OFFSET).endRecord();

    private static S3Client s3;

    @BeforeAll
    static void connect(S3Server server) {
        s3 = server.client();
    }

    /** One lake under a root of its own, with the zones bronze, silver and gold. */
    private record Lake(String root, Map<String, Long> offsets) {

        Lake(String root) {
            this(root, new HashMap<>());
        }

        String zone(String name) {
            return root + "/" + name;
        }

        /** The partition of the hour that contains {@code instant} (UTC), with optional field segments. */
        LakePartition hourOf(String zone, String topic, Instant instant, String... fields) {
            ZonedDateTime hour = instant.atZone(ZoneOffset.UTC);
            StringBuilder path = new StringBuilder(String.format("year=%04d/month=%02d/day=%02d/hour=%02d",
                    hour.getYear(), hour.getMonthValue(), hour.getDayOfMonth(), hour.getHour()));
            for (String field : fields) {
                path.append('/').append(field);
            }
            return new LakePartition(zone(zone), topic, path.toString());
        }

        /** Writes {@code files} sink files of a few rows into the partition, and moves the sink checkpoint past them. */
        LakePartition fill(LakePartition partition, int files) {
            ObjectKeyNamer namer = new ObjectKeyNamer(partition.prefix());
            for (int file = 0; file < files; file++) {
                long offset = offsets.merge(partition.prefix() + "|" + partition.topic(), 5L, Long::sum) - 5;
                String key = namer.dataKey(partition.topic(), partition.path(), 0, offset, ParquetCodec.SNAPPY);
                try {
                    ParquetRecordWriter writer = ParquetRecordWriter.open(s3, new ParquetFileSettings(BUCKET,
                            ParquetCodec.SNAPPY, 1024 * 1024, ParquetFileSettings.DEFAULT_PAGE_BYTES,
                            5 * 1024 * 1024), key, ROW);
                    for (long o = offset; o < offset + 5; o++) {
                        GenericRecord row = new GenericData.Record(ROW);
                        row.put("id", o);
                        row.put("text", "row " + o + " of " + partition);
                        row.put(KafkaColumns.PARTITION, 0);
                        row.put(KafkaColumns.OFFSET, o);
                        writer.write(row);
                    }
                    writer.commit();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
                new OffsetCheckpoints(s3, BUCKET).write(namer, partition.topic(), 0, offset + 5);
            }
            return partition;
        }
    }

    private static Set<String> keysUnder(String root) {
        return s3.listObjectsV2Paginator(b -> b.bucket(BUCKET).prefix(root + "/")).contents().stream()
                .map(S3Object::key).collect(Collectors.toCollection(TreeSet::new));
    }

    private static Map<String, Long> sizesUnder(String root) {
        return s3.listObjectsV2Paginator(b -> b.bucket(BUCKET).prefix(root + "/")).contents().stream()
                .collect(Collectors.toMap(S3Object::key, S3Object::size, (a, b) -> a, TreeMap::new));
    }

    private static Set<String> uploadIdsUnder(String root) {
        return s3.listMultipartUploadsPaginator(b -> b.bucket(BUCKET).prefix(root + "/")).uploads().stream()
                .map(MultipartUpload::uploadId).collect(Collectors.toSet());
    }

    private static Instant initiated(String root, String uploadId) {
        return s3.listMultipartUploadsPaginator(b -> b.bucket(BUCKET).prefix(root + "/")).uploads().stream()
                .filter(u -> u.uploadId().equals(uploadId)).findFirst().orElseThrow().initiated();
    }

    private static String startUpload(String key) {
        String id = s3.createMultipartUpload(b -> b.bucket(BUCKET).key(key)).uploadId();
        s3.uploadPart(b -> b.bucket(BUCKET).key(key).uploadId(id).partNumber(1), RequestBody.fromString("part"));
        return id;
    }

    private static Set<String> partitionIds(List<JanitorReport.ExpiredPartition> partitions) {
        return partitions.stream().map(p -> p.zone() + "/" + p.topic() + "/" + p.path())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static String id(LakePartition partition) {
        return partition.prefix() + "/" + partition.topic() + "/" + partition.path();
    }

    private static RetentionSettings settings(Lake lake) {
        return new RetentionSettings(BUCKET, ZoneOffset.UTC, Map.of(lake.zone("bronze"), Duration.ofDays(90),
                lake.zone("silver"), Duration.ofDays(365), lake.zone("gold"), Duration.ofDays(2557)),
                Map.of("silver.orders", Duration.ofDays(30)), Duration.ofHours(1), Duration.ofDays(1));
    }

    @Test
    void deletesExactlyTheExpiredPartitionsAndStaleUploadsAndNothingElse() {
        Lake lake = new Lake("it-retention/" + UUID.randomUUID());

        // Two uploads: the "stale" one is older than a day at the janitor's clock, the fresh one is not. The clock
        // is set just under a day after the fresh upload started, so only the order of the two matters.
        String staleKey = lake.zone("bronze") + "/bronze.events/year=2026/month=01/day=01/hour=00/stale.parquet";
        String freshKey = lake.zone("bronze") + "/bronze.events/year=2026/month=01/day=01/hour=00/fresh.parquet";
        String stale = startUpload(staleKey);
        Instant staleInitiated = initiated(lake.root(), stale);
        String fresh = startUpload(freshKey);
        for (int attempt = 0; !initiated(lake.root(), fresh).isAfter(staleInitiated) && attempt < 100; attempt++) {
            // The server stamps uploads in milliseconds: start the fresh one again until its stamp is later.
            String early = fresh;
            s3.abortMultipartUpload(b -> b.bucket(BUCKET).key(freshKey).uploadId(early));
            fresh = startUpload(freshKey);
        }
        String freshId = fresh;
        Instant now = initiated(lake.root(), freshId).plus(Duration.ofDays(1)).minusMillis(1);
        assertTrue(staleInitiated.isBefore(now.minus(Duration.ofDays(1))));
        Clock clock = Clock.fixed(now, ZoneOffset.UTC);

        Set<String> expected = new TreeSet<>();
        Set<LakePartition> kept = new HashSet<>();
        Map<String, Duration> retention = Map.of("bronze", Duration.ofDays(90), "silver", Duration.ofDays(365),
                "gold", Duration.ofDays(2557));
        String[] topics = {"bronze.pg.orders", "silver.customers", "gold.customer_totals"};
        int zoneIndex = 0;
        for (String zone : List.of("bronze", "silver", "gold")) {
            String topic = topics[zoneIndex++];
            Instant cutoff = now.minus(retention.get(zone));
            Instant lastExpiredHour = cutoff.truncatedTo(ChronoUnit.HOURS).minus(1, ChronoUnit.HOURS);
            // The last hour that ended at or before the cutoff, one long before it, and the hour the cutoff is in.
            expected.add(id(lake.fill(lake.hourOf(zone, topic, lastExpiredHour), 2)));
            expected.add(id(lake.fill(lake.hourOf(zone, topic, cutoff.minus(Duration.ofDays(40))), 1)));
            kept.add(lake.fill(lake.hourOf(zone, topic, cutoff), 2));
            kept.add(lake.fill(lake.hourOf(zone, topic, now.minus(Duration.ofHours(3))), 1));
            kept.add(lake.fill(lake.hourOf(zone, topic, now), 2));
        }
        // Partitions with field segments below the hour are partitions of their own.
        expected.add(id(lake.fill(lake.hourOf("bronze", topics[0], now.minus(Duration.ofDays(91)), "region=EU"), 1)));
        // A topic override: 30 days for silver.orders, while silver.customers keeps a year.
        expected.add(id(lake.fill(lake.hourOf("silver", "silver.orders", now.minus(Duration.ofDays(31))), 1)));
        kept.add(lake.fill(lake.hourOf("silver", "silver.orders", now.minus(Duration.ofDays(29))), 1));
        kept.add(lake.fill(lake.hourOf("silver", "silver.customers", now.minus(Duration.ofDays(31))), 1));
        // A compacted partition whose consumed inputs still wait for garbage collection: deleting its manifest
        // first would publish them again.
        LakePartition compacted = lake.fill(lake.hourOf("silver", "silver.customers", now.minus(Duration.ofDays(400))),
                4);
        CompactionSettings compaction = CompactionSettings.builder(BUCKET).prefixes(List.of(lake.zone("silver")))
                .gcGrace(Duration.ofDays(10_000)).build();
        PartitionResult merged = new CompactionEngine(s3, compaction, clock, FaultInjector.NONE).compact(compacted);
        assertEquals(PartitionResult.Outcome.COMPACTED, merged.outcome(), merged.toString());
        assertTrue(keysUnder(lake.root()).contains(compacted.directory() + PartitionManifest.FILE_NAME));
        expected.add(id(compacted));

        Set<String> checkpoints = keysUnder(lake.root()).stream().filter(k -> k.contains("/_sluice/checkpoints/"))
                .collect(Collectors.toSet());
        assertEquals(4, checkpoints.size(), "one checkpoint per topic: " + checkpoints);
        Map<String, Long> before = sizesUnder(lake.root());
        Set<String> expiredKeys = before.keySet().stream().filter(key -> expected.stream().anyMatch(
                partition -> key.startsWith(partition + "/") && key.indexOf('/', partition.length() + 1) < 0))
                .collect(Collectors.toCollection(TreeSet::new));
        LakeJanitor janitor = new LakeJanitor(s3, settings(lake), clock);

        JanitorReport plan = janitor.run(true);

        assertNull(plan.error());
        assertTrue(plan.dryRun());
        assertEquals(expected, partitionIds(plan.partitions()));
        assertTrue(plan.partitions().stream().allMatch(p -> p.status() == JanitorReport.PartitionStatus.EXPIRED));
        assertEquals(expiredKeys.size(), plan.objects(), "objects of the expired partitions");
        assertEquals(expiredKeys.stream().mapToLong(before::get).sum(), plan.bytes());
        assertEquals(0, plan.objectsDeleted());
        assertEquals(Set.of(stale), plan.uploads().stream().filter(u -> u.upload().key().startsWith(lake.root()))
                .map(u -> u.upload().uploadId()).collect(Collectors.toSet()));
        assertEquals(before, sizesUnder(lake.root()), "a dry run deletes nothing");
        assertEquals(Set.of(stale, freshId), uploadIdsUnder(lake.root()), "a dry run aborts nothing");

        JanitorReport run = janitor.run(false);

        assertTrue(run.succeeded(), run.toString());
        assertEquals(expected, partitionIds(run.partitions()));
        assertTrue(run.partitions().stream().allMatch(p -> p.status() == JanitorReport.PartitionStatus.DELETED));
        assertEquals(expected.size(), run.partitionsDeleted());
        assertEquals(plan.objects(), run.objectsDeleted());
        assertEquals(plan.bytes(), run.bytesDeleted());
        Set<String> left = new TreeSet<>(before.keySet());
        left.removeAll(expiredKeys);
        assertEquals(left, keysUnder(lake.root()), "exactly the expired partitions' objects are gone");
        assertTrue(keysUnder(lake.root()).containsAll(checkpoints), "checkpoints are never deleted");
        LakePartitionReader reader = new LakePartitionReader(s3, BUCKET);
        for (LakePartition partition : kept) {
            assertTrue(!reader.published(partition).files().isEmpty(), partition + " is still published");
        }
        assertTrue(reader.published(compacted).files().isEmpty(), "nothing of the compacted partition reappears");
        assertEquals(Set.of(freshId), uploadIdsUnder(lake.root()), "only the stale upload is aborted");
        assertTrue(run.uploads().stream().anyMatch(u -> u.upload().uploadId().equals(stale)
                && u.status() == JanitorReport.UploadStatus.ABORTED));

        JanitorReport again = janitor.run(false);

        assertTrue(again.succeeded(), again.toString());
        assertEquals(Set.of(), partitionIds(again.partitions()), "a rerun finds nothing");
        assertTrue(again.uploads().stream().noneMatch(u -> u.upload().key().startsWith(lake.root())));
        assertEquals(left, keysUnder(lake.root()));
        assertEquals(Set.of(freshId), uploadIdsUnder(lake.root()));
    }
}
