package dev.sluice.devstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

import dev.sluice.devstack.supervise.RestartPolicy;
import dev.sluice.devstack.supervise.Supervised;
import dev.sluice.embedded.Await;
import dev.sluice.embedded.PostgresServer;
import dev.sluice.embedded.S3Server;
import dev.sluice.embedded.ServerProcess;

/**
 * {@code kill -9} of the platform's children under generated load: each comes back by itself on the same ports
 * (streams-app reaching RUNNING again, three times in a row), and afterwards every bronze record is in exactly one
 * silver or dead-letter record and the lake holds every committed silver and gold record exactly once.
 */
class ChildCrashIT {

    private static final Path HOME = Path.of("").toAbsolutePath().getParent().getParent();
    private static final Duration BACK = Duration.ofSeconds(150);
    private static final Duration SETTLE = Duration.ofSeconds(240);
    /** Longer than Debezium's 10 s reconnect backoff after PostgreSQL went away. */
    private static final Duration QUIET = Duration.ofSeconds(20);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void killedChildrenComeBackAndNothingIsLostOrDuplicated() throws Exception {
        Path state = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "child-crash-");
        DevstackSettings settings = DevstackSettings.parse(HOME, List.of("--state-dir", state.toString(),
                "--kafka-port", "0", "--kafka-controller-port", "0", "--connect-port", "0", "--postgres-port", "0",
                "--s3-port", "0", "--registry-port", "0", "--app-port", "0", "--shop-ops-per-second", "20",
                "--events-per-second", "40", "--bad-ratio", "0.05", "--lake-idle-flush-ms", "3000"), Map.of());
        // Short backoffs: the test kills on purpose and should not wait out the default's.
        RestartPolicy restarts = new RestartPolicy(Duration.ofMillis(200), Duration.ofSeconds(2), 10,
                Duration.ofMinutes(10));
        try (Devstack devstack = new Devstack(settings, restarts)) {
            devstack.start();
            String kafka = devstack.kafka().bootstrapServers();
            Await.until("silver user events", BACK, () -> BronzeRecords.count(kafka, "silver.user_events") > 20);

            for (int crash = 1; crash <= 3; crash++) {
                long silverBefore = BronzeRecords.count(kafka, "silver.user_events");
                killAndAwaitRestart(devstack, "streams-app", devstack::app);
                Await.until("streams-app ready (RUNNING) after crash", BACK, () -> ready(devstack.app().url()));
                Await.until("streams-app processing after crash", BACK,
                        () -> BronzeRecords.count(kafka, "silver.user_events") > silverBefore);
            }
            killAndAwaitRestart(devstack, "schema-registry", devstack::registry);
            Await.until("registry answers", BACK, () -> HTTP.send(HttpRequest.newBuilder(
                    URI.create(devstack.registry().ccompatUrl() + "/subjects")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
            killAndAwaitRestart(devstack, "s3", devstack::s3);
            assertTrue(devstack.s3().client().headBucket(b -> b.bucket(S3Server.LAKE_BUCKET)).sdkHttpResponse()
                    .isSuccessful(), "the lake bucket is served again");
            int postgresPort = devstack.postgres().port();
            killAndAwaitRestart(devstack, "postgres", devstack::postgres);
            assertEquals(postgresPort, devstack.postgres().port(), "same port after a restart");
            try (Connection c = devstack.postgres().connect(PostgresServer.SHOP_DB); Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT count(*) FROM customers")) {
                assertTrue(rs.next() && rs.getLong(1) > 0, "the shop's rows survive");
            }
            // streams-app may still be coming back: it exits when it fails while the registry is away.
            Await.until("every child running", BACK, () -> devstack.supervised().values().stream()
                    .allMatch(child -> child.state() == Supervised.State.RUNNING) && ready(devstack.app().url()));
            // At least the three kills; an app that fails while the registry is down exits and is restarted too.
            assertTrue(devstack.supervised().get("streams-app").restarts() >= 3);

            devstack.generator().close();
            Map<String, Integer> bronze = PipelineCounts.settledBronze(kafka, SETTLE, QUIET);
            PipelineCounts.Landing landing = PipelineCounts.landing(kafka, bronze, false, SETTLE,
                    () -> devstack.supervised().get("streams-app").state() != Supervised.State.GAVE_UP);
            System.out.println("routes after crashes: " + landing.routes());
            assertEquals(bronze, landing.landed(), "each bronze record exactly once in silver or a dead-letter topic");

            for (String layer : List.of("silver", "gold")) {
                for (String topic : DemoConnectors.LAKE_TOPICS.get(layer)) {
                    LakeContents.Committed committed = LakeContents.committedWithTombstones(kafka, topic);
                    Path scratch = state.resolve("lake-read");
                    // Each check reads the lake as the wait last found it complete, rather than downloading it again.
                    AtomicReference<LakeContents.Lake> lake = new AtomicReference<>();
                    Await.until("the lake's " + topic + " complete", SETTLE, () -> {
                        lake.set(LakeContents.lake(devstack.s3().client(), S3Server.LAKE_BUCKET, layer, topic,
                                scratch));
                        return lake.get().rows().size() >= committed.records().size();
                    });
                    assertEquals(committed.records(), lake.get().rows(),
                            "the lake holds each committed record of " + topic + " once");
                    // Tombstones (gold.user_sessions retracting merged sessions) are delete markers, not dead letters.
                    System.out.println("tombstones of " + topic + ": " + committed.tombstones().size());
                    assertEquals(committed.tombstones(), lake.get().deleteMarkers(),
                            "each tombstone of " + topic + " is a delete marker in the lake");
                    // Lineage columns: a silver row names its bronze record, a gold row the silver topic counted.
                    String from = layer.equals("silver") ? "bronze." : "silver.";
                    Set<String> sources = lake.get().lineageSources();
                    assertTrue(!sources.isEmpty() && sources.stream().allMatch(s -> s != null && s.startsWith(from)),
                            topic + " rows trace back to " + from + "*: " + sources.stream().limit(5).toList());
                }
            }
            // The documented walk from a gold row to its bronze rows: each silver line it passes names one bronze
            // record, which the bronze lake holds.
            LineageWalk.Result walk = LineageWalk.fromAGoldRow(devstack.s3().client(), S3Server.LAKE_BUCKET,
                    state.resolve("lineage"));
            System.out.println("lineage walk: " + walk);
            assertTrue(walk.silverLines() > 0, "the gold row's hour has silver lines: " + walk);
            assertEquals(walk.silverLines(), walk.bronzeRows(), "one bronze row per silver line: " + walk);
        }
    }

    private static <T extends ServerProcess> void killAndAwaitRestart(Devstack devstack, String component,
            Supplier<T> current) {
        ProcessHandle victim = current.get().processHandle();
        assertTrue(victim.destroyForcibly(), "SIGKILL sent to " + component);
        victim.onExit().join();
        Await.until(component + " restarted", BACK, () -> {
            ProcessHandle now = current.get().processHandle();
            return now.pid() != victim.pid() && now.isAlive()
                    && devstack.supervised().get(component).state() == Supervised.State.RUNNING;
        });
        assertNotEquals(victim.pid(), current.get().processHandle().pid());
    }

    private static boolean ready(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url + "/health/readiness")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    }
}
