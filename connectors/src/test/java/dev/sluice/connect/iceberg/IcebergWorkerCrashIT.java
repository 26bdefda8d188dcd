package dev.sluice.connect.iceberg;

import static dev.sluice.connect.iceberg.IcebergSinkFixture.DEADLINE;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.connect.admin.ConnectAwait;
import dev.sluice.connect.admin.ConnectRestClient;
import dev.sluice.connect.iceberg.IcebergSinkFixture.Expected;
import dev.sluice.connect.iceberg.IcebergSinkFixture.Sink;
import dev.sluice.embedded.Await;
import dev.sluice.embedded.EmbeddedPlatformExtension;
import dev.sluice.embedded.KafkaBroker;
import dev.sluice.embedded.PostgresServer;
import dev.sluice.embedded.RegistryServer;
import dev.sluice.embedded.S3Server;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import org.apache.iceberg.catalog.TableIdentifier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18: the Iceberg lake stays exact when the whole Connect worker dies mid-commit. The worker runs in a JVM of
 * its own; while the coordinator's catalog update of the second batch is held (the row lock on the table's catalog
 * row, as in {@link IcebergSinkIT}) and the tasks have announced their files with their source offsets, the JVM is
 * killed with SIGKILL — no task stops, no transaction is aborted, no JDBC statement is cancelled. The second batch
 * carries tombstones, so delete markers go through the crash too. A new worker of the same Connect group takes over
 * after the lock goes; the table must hold every record once with the same content (each tombstone as one marker
 * row), and the sink's group must have committed the topic's end offsets.
 */
@ExtendWith(EmbeddedPlatformExtension.class)
class IcebergWorkerCrashIT {

    private static final int BATCH = 150;
    private static final String WORKER_GROUP = "sluice-iceberg-crash-it";

    @TempDir
    static Path temp;

    private static KafkaBroker kafka;
    private static IcebergSinkFixture lake;

    @BeforeAll
    static void servers(KafkaBroker broker, S3Server s3, PostgresServer postgres, RegistryServer registry)
            throws IOException {
        kafka = broker;
        lake = IcebergSinkFixture.open(broker, s3, postgres, registry, temp);
    }

    @AfterAll
    static void closeCatalog() throws IOException {
        if (lake != null) {
            lake.close();
        }
    }

    @Test
    void aCommitCutShortByKillingTheWorkerIsCompletedOnceAndOnlyOnce() throws Exception {
        Map<Long, Expected> expected = new HashMap<>();
        Map<Long, Instant> tombstones = new HashMap<>();
        Sink sink;
        TableIdentifier id;
        try (ConnectWorkerJvm first = ConnectWorkerJvm.start(kafka.bootstrapServers(), WORKER_GROUP, temp,
                "connect-first")) {
            sink = lake.registerSink(new ConnectRestClient(first.restUrl()));
            id = sink.table();
            lake.produce(sink.topic(), 0, BATCH, expected);
            Await.until("first batch in the table", DEADLINE, () -> lake.rowCount(id) == BATCH);

            try (Connection lock = lake.lockCatalogRow(id)) {
                lake.produce(sink.topic(), BATCH, 2 * BATCH, expected);
                lake.sendTombstones(sink.topic(), 0, 10, tombstones);
                // Offsets beyond the first batch are committed only with the announcement of files that the
                // blocked commit would publish: the worker dies holding records that exist nowhere in the table.
                Await.until("part of the second batch announced", DEADLINE,
                        () -> lake.committedTotal(sink.group(), sink.topic()) > BATCH);
                assertEquals(BATCH, lake.rowCount(id),
                        "nothing of the second batch is committed while the row is locked");
                first.kill();
                lock.rollback();
            }
        }

        try (ConnectWorkerJvm second = ConnectWorkerJvm.start(kafka.bootstrapServers(), WORKER_GROUP, temp,
                "connect-second")) {
            ConnectRestClient rest = new ConnectRestClient(second.restUrl());
            ConnectAwait.running(rest, sink.name(), 2, DEADLINE);
            // The new coordinator commits the third batch only after it has dealt with the second batch's
            // announcements, so a duplicate of those would be in the table by the time the third batch is.
            lake.produce(sink.topic(), 2 * BATCH, 2 * BATCH + 30, expected);
            Await.until("all three batches and the markers in the table", DEADLINE,
                    () -> lake.rowCount(id) >= 2 * BATCH + 30 + 10);
            Await.until("source offsets committed", DEADLINE,
                    () -> lake.committedEverything(sink.group(), sink.topic()));
            lake.assertExactly(lake.catalog().loadTable(id), sink.topic(), expected, tombstones);
            assertEquals(lake.endOffsetsTotal(sink.topic()), lake.rowCount(id), "one row per record of the topic");
            assertEquals(0, lake.endOffsetsTotal(sink.deadLetterTopic()), "nothing was dead-lettered");
            ConnectAwait.deleteAndAwaitGone(rest, sink.name(), DEADLINE);
        }
    }
}
