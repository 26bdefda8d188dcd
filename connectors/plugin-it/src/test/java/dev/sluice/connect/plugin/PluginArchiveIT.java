package dev.sluice.connect.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;

import dev.sluice.connect.admin.ConnectRestClient;
import dev.sluice.embedded.Await;
import dev.sluice.embedded.EmbeddedPlatformExtension;
import dev.sluice.embedded.KafkaBroker;
import dev.sluice.embedded.PostgresServer;
import dev.sluice.embedded.S3Server;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The plugin archive that {@code ./mvnw verify} builds (sluice-connectors, classifier plugin) runs in a Connect worker
 * that has it only on its {@code plugin.path}: the worker's class path is Kafka Connect alone, so the JDBC source
 * and the S3 Parquet sink, their libraries and the PostgreSQL driver can come from nowhere but the archive, through
 * Connect's PluginClassLoader. Rows of a PostgreSQL table go through the source to a topic and through the sink
 * into a Parquet object on S3, read back with DuckDB. Kafka, PostgreSQL and S3 are the shared embedded platform's.
 */
@ExtendWith(EmbeddedPlatformExtension.class)
class PluginArchiveIT {

    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final String JDBC_SOURCE = "dev.sluice.connect.jdbc.JdbcSourceConnector";
    private static final String S3_SINK = "dev.sluice.connect.s3.S3ParquetSinkConnector";
    private static final String TABLE = "plugin_it_orders";
    private static final String TOPIC = "it.plugin." + TABLE;
    private static final String LAKE_PREFIX = "plugin-it";
    private static final int ROWS = 25;
    /** Libraries that only the plugin brings: none may be on the worker's class path. */
    private static final List<String> PLUGIN_ONLY_LIBRARIES = List.of("sluice-", "parquet-", "avro-", "s3-",
            "apicurio-", "postgresql-", "hadoop-");

    @TempDir
    Path temp;

    @Test
    void jdbcSourceAndS3SinkRunFromThePluginArchiveInIsolation(KafkaBroker kafka, PostgresServer postgres,
            S3Server s3) throws Exception {
        Path pluginPath = Path.of(System.getProperty("sluice.plugin.path"));
        Path pluginDir = pluginPath.resolve("sluice-connectors");
        List<String> archive = jarNames(pluginDir);
        for (String library : List.of("sluice-connectors-", "sluice-lake-", "parquet-avro-", "postgresql-")) {
            assertTrue(archive.stream().anyMatch(name -> name.startsWith(library)),
                    "the archive holds " + library + "*.jar: " + archive);
        }
        assertEquals(List.of(), archive.stream().filter(name -> name.startsWith("kafka-clients-")
                || name.startsWith("connect-api-") || name.startsWith("slf4j-api-")).toList(),
                "what the worker provides must not be in the archive");
        assertNothingOfThePluginOnTheWorkerClassPath();
        assertThrows(ClassNotFoundException.class, () -> Class.forName(S3_SINK),
                "this test's own class path must not hold the plugins either");

        createTable(postgres);
        kafka.createTopics(1, TOPIC);
        Path secrets = Files.createDirectories(temp.resolve("secrets"));
        try (IsolatedConnectWorker worker = IsolatedConnectWorker.start(kafka.bootstrapServers(), pluginPath,
                secrets, Files.createDirectories(temp.resolve("worker")))) {
            String log = Files.readString(worker.logFile());
            assertTrue(log.contains("Registered loader: PluginClassLoader{pluginLocation=file:" + pluginDir),
                    "the worker loaded the archive through a PluginClassLoader of its own; see " + worker.logFile());
            ConnectRestClient rest = new ConnectRestClient(worker.restUrl());
            assertPluginsListed(rest.plugins());

            rest.putConfig("plugin-it-source", sourceConfig(postgres));
            rest.putConfig("plugin-it-sink", sinkConfig(s3, secrets));
            Await.until("both connectors and their tasks running", DEADLINE,
                    () -> rest.isRunning("plugin-it-source") && rest.isRunning("plugin-it-sink"));

            Set<Long> expected = new TreeSet<>(LongStream.rangeClosed(1, ROWS).boxed().toList());
            Await.until("every row of " + TABLE + " in a Parquet object of the lake", DEADLINE,
                    () -> idsInTheLake(s3).equals(expected));
            assertEquals(List.of(), parquetKeys(s3).stream()
                    .filter(key -> !key.startsWith(LAKE_PREFIX + "/" + TOPIC + "/") || !key.endsWith(".zstd.parquet"))
                    .toList(), "objects laid out as the sink lays them out");
        }
    }

    private static void assertNothingOfThePluginOnTheWorkerClassPath() {
        List<String> entries = IsolatedConnectWorker.classpath().stream().map(p -> p.getFileName().toString())
                .toList();
        assertTrue(entries.stream().anyMatch(name -> name.startsWith("connect-runtime-")),
                "the worker class path holds Kafka Connect: " + entries);
        assertEquals(List.of(), entries.stream()
                .filter(name -> PLUGIN_ONLY_LIBRARIES.stream().anyMatch(name::startsWith)).toList(),
                "the plugin's own libraries on the worker's class path");
    }

    private static void assertPluginsListed(JsonNode plugins) {
        List<String> classes = new ArrayList<>();
        plugins.forEach(plugin -> classes.add(plugin.path("class").asText()));
        assertTrue(classes.contains(JDBC_SOURCE) && classes.contains(S3_SINK),
                "the worker offers the archive's connectors: " + classes);
    }

    private static void createTable(PostgresServer postgres) throws Exception {
        try (Connection connection = postgres.connect(PostgresServer.WAREHOUSE_DB);
             Statement statement = connection.createStatement()) {
            statement.execute("DROP TABLE IF EXISTS " + TABLE);
            statement.execute("CREATE TABLE " + TABLE + " (id bigserial PRIMARY KEY, item text NOT NULL)");
            statement.execute("INSERT INTO " + TABLE + " (item) SELECT 'item ' || g FROM generate_series(1, "
                    + ROWS + ") g");
        }
    }

    private static Map<String, String> sourceConfig(PostgresServer postgres) {
        Map<String, String> config = new HashMap<>();
        config.put("connector.class", JDBC_SOURCE);
        config.put("tasks.max", "1");
        config.put("connection.url", postgres.jdbcUrl(PostgresServer.WAREHOUSE_DB));
        config.put("connection.user", postgres.user());
        config.put("connection.password", postgres.password());
        config.put("tables", TABLE);
        config.put("mode", "incrementing");
        config.put("incrementing.column.name", "id");
        config.put("topic.prefix", "it.plugin.");
        config.put("poll.interval.ms", "200");
        config.put("key.converter", "org.apache.kafka.connect.json.JsonConverter");
        config.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        config.put("value.converter.schemas.enable", "true");
        return config;
    }

    private static Map<String, String> sinkConfig(S3Server s3, Path secrets) throws IOException {
        Path credentials = secrets.resolve("s3.properties");
        Properties keys = new Properties();
        keys.setProperty("aws.access.key.id", s3.accessKey());
        keys.setProperty("aws.secret.access.key", s3.secretKey());
        try (OutputStream out = Files.newOutputStream(credentials)) {
            keys.store(out, null);
        }
        Map<String, String> config = new HashMap<>();
        config.put("connector.class", S3_SINK);
        config.put("tasks.max", "1");
        config.put("topics", TOPIC);
        config.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        config.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        config.put("value.converter.schemas.enable", "true");
        config.put("s3.bucket.name", S3Server.LAKE_BUCKET);
        config.put("s3.endpoint", s3.endpoint().toString());
        config.put("s3.region", s3.region());
        config.put("s3.path.style.access", "true");
        config.put("aws.access.key.id", "${file:" + credentials + ":aws.access.key.id}");
        config.put("aws.secret.access.key", "${file:" + credentials + ":aws.secret.access.key}");
        config.put("topics.dir", LAKE_PREFIX);
        config.put("flush.size", "1000");
        config.put("rotate.idle.ms", "1000");
        config.put("parquet.codec", "zstd");
        return config;
    }

    private List<String> parquetKeys(S3Server s3) {
        return s3.client().listObjectsV2Paginator(b -> b.bucket(S3Server.LAKE_BUCKET).prefix(LAKE_PREFIX + "/"))
                .contents().stream().map(S3Object::key).filter(key -> key.endsWith(".parquet")).toList();
    }

    /** The ids of every row in the lake's Parquet objects under the test's prefix, read with DuckDB. */
    private Set<Long> idsInTheLake(S3Server s3) throws Exception {
        Set<Long> ids = new TreeSet<>();
        Path downloads = Files.createDirectories(temp.resolve("downloads"));
        for (String key : parquetKeys(s3)) {
            Path file = downloads.resolve(key.replace('/', '_'));
            Files.deleteIfExists(file);
            s3.client().getObject(b -> b.bucket(S3Server.LAKE_BUCKET).key(key), file);
            try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
                 Statement statement = duck.createStatement();
                 ResultSet rows = statement.executeQuery("SELECT id, item FROM read_parquet('" + file + "')")) {
                while (rows.next()) {
                    assertEquals("item " + rows.getLong(1), rows.getString(2), "row " + rows.getLong(1));
                    ids.add(rows.getLong(1));
                }
            }
        }
        return ids;
    }

    private static List<String> jarNames(Path dir) throws IOException {
        try (Stream<Path> jars = Files.list(dir)) {
            return jars.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
