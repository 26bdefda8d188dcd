package dev.sluice.app.compaction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import org.apache.iceberg.jdbc.JdbcCatalog;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;

import dev.sluice.app.query.AppInstance;
import dev.sluice.app.testing.SinkLikeIcebergTable;
import dev.sluice.embedded.Await;
import dev.sluice.embedded.EmbeddedPlatformExtension;
import dev.sluice.embedded.KafkaBroker;
import dev.sluice.embedded.PostgresServer;
import dev.sluice.embedded.RegistryServer;
import dev.sluice.embedded.S3Server;
import dev.sluice.lake.iceberg.IcebergCatalogSettings;

/**
 * Iceberg maintenance inside a running instance (real broker and registry, the JDBC catalog on the embedded
 * PostgreSQL, files on the embedded S3 server): the scheduled pass runs on the leader and shows in
 * {@code GET /api/compaction/iceberg/passes} and the metrics, and the tables' sink commits are the lake layer of
 * freshness in {@code /api/status}.
 */
@ExtendWith(EmbeddedPlatformExtension.class)
class IcebergMaintenanceAppIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    private static AppInstance app;
    private static String table;

    @BeforeAll
    static void start(KafkaBroker kafka, RegistryServer registry, PostgresServer postgres, S3Server s3)
            throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        IcebergCatalogSettings catalog = new IcebergCatalogSettings("sluice",
                postgres.jdbcUrl(PostgresServer.ICEBERG_CATALOG_DB), postgres.icebergLogin().user(),
                postgres.icebergLogin().password(),
                "s3://" + S3Server.LAKE_BUCKET + "/iceberg", s3.endpoint(), s3.region(), s3.accessKey(),
                s3.secretKey());
        Map<String, Object> settings = new HashMap<>(AppInstance.settings(AppInstance.topics("iceberg-app-it")));
        settings.put("sluice.connect.url", "http://127.0.0.1:" + closed);
        settings.put("sluice.iceberg-maintenance.enabled", "true");
        settings.put("sluice.iceberg-maintenance.cron", "*/2 * * * * *");
        settings.put("sluice.iceberg-maintenance.catalog-uri", catalog.jdbcUrl());
        settings.put("sluice.iceberg-maintenance.catalog-user", catalog.user());
        settings.put("sluice.iceberg-maintenance.catalog-password", catalog.password());
        settings.put("sluice.compaction.s3.endpoint", s3.endpoint().toString());
        settings.put("sluice.compaction.s3.access-key", s3.accessKey());
        settings.put("sluice.compaction.s3.secret-key", s3.secretKey());
        settings.put("sluice.freshness.lake-interval", "1s");
        // The table first: a JDBC catalog opened by two clients at once on a fresh database can fail to set up its
        // own tables in one of them (the app's next pass would retry; this test would not).
        table = "events_" + UUID.randomUUID().toString().substring(0, 8);
        Instant twoHoursAgo = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(2, ChronoUnit.HOURS);
        try (JdbcCatalog tables = catalog.open()) {
            SinkLikeIcebergTable sinkLike = SinkLikeIcebergTable.create(tables, "app_it", table);
            // Two sink commits in one closed hour: a pass compacts them into one file.
            sinkLike.commit(twoHoursAgo, 5);
            sinkLike.commit(twoHoursAgo.plusSeconds(60), 5);
        }
        app = AppInstance.start(kafka, registry, "iceberg-app-it", settings);
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void theScheduledPassShowsInTheApiAndMetricsAndTableCommitsAreTheLakesFreshness() {
        Await.until("a pass rewrote the two files", TIMEOUT, () -> {
            for (JsonNode pass : app.json("/api/compaction/iceberg/passes")) {
                if ("SUCCEEDED".equals(pass.get("status").asText()) && pass.get("filesRewritten").asInt() >= 2) {
                    return true;
                }
            }
            return false;
        });
        JsonNode compacting = null;
        for (JsonNode pass : app.json("/api/compaction/iceberg/passes?limit=100")) {
            assertEquals("SUCCEEDED", pass.get("status").asText(), pass.toString());
            compacting = pass.get("filesRewritten").asInt() > 0 ? pass : compacting;
        }
        assertNotNull(compacting);
        assertEquals(2, compacting.get("filesRewritten").asInt(), compacting.toString());
        assertEquals(1, compacting.get("partitionsCompacted").asInt(), compacting.toString());
        assertTrue(compacting.get("tables").asInt() >= 1, compacting.toString());
        String metrics = app.get("/prometheus").body();
        assertTrue(metrics.lines().anyMatch(line -> line.startsWith(prometheus(
                IcebergMaintenanceMetrics.FILES_REWRITTEN) + "_total") && line.endsWith(" 2.0")), "files rewritten");
        assertTrue(metrics.lines().anyMatch(line -> line.startsWith(prometheus(
                IcebergMaintenanceMetrics.LAST_SUCCESS) + "_seconds ") && !line.endsWith(" 0.0")),
                "last successful pass");

        // The two commits are measured once each at layer lake, from their earliest record (two hours back).
        Await.until("the table's commits measured at the lake", TIMEOUT, () -> {
            JsonNode entry = freshness(app.json("/api/status")).get(table + "/lake");
            return entry != null && entry.get("count").asLong() == 2;
        });
        JsonNode lake = freshness(app.json("/api/status")).get(table + "/lake");
        assertTrue(lake.get("maxSeconds").asDouble() >= 3600, lake.toString());
    }

    private static String prometheus(String meter) {
        return meter.replace('.', '_');
    }

    /** The freshness entries of a status answer by "dataset/layer". */
    private static Map<String, JsonNode> freshness(JsonNode status) {
        Map<String, JsonNode> entries = new HashMap<>();
        status.get("freshness").get("datasets").forEach(entry -> entries.put(entry.get("dataset").asText() + "/"
                + entry.get("layer").asText(), entry));
        return entries;
    }
}
