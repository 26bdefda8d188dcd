package dev.sluice.connect.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;

import dev.sluice.connect.admin.ConnectRestClient;
import dev.sluice.connect.template.ConnectorTemplates;
import dev.sluice.embedded.Await;
import dev.sluice.embedded.EmbeddedPlatformExtension;
import dev.sluice.embedded.KafkaBroker;
import dev.sluice.embedded.PostgresServer;
import dev.sluice.embedded.RegistryServer;
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
 * Connect's PluginClassLoader. Both connectors are configured from their templates, as deployments configure them:
 * the source converts in its last transform ({@code ConvertOrDeadLetter}, which loads the registry's Avro converter
 * by name from inside the plugin) and the sink decodes with the registry's converter. Rows of a PostgreSQL table go
 * through the source to a topic and through the sink into a Parquet object on S3, read back with DuckDB. Kafka,
 * PostgreSQL, S3 and the registry are the shared embedded platform's.
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
    private static final ConnectorTemplates TEMPLATES = new ConnectorTemplates();
    /** Libraries that only the plugin brings: none may be on the worker's class path. */
    private static final List<String> PLUGIN_ONLY_LIBRARIES = List.of("sluice-", "parquet-", "avro-", "s3-",
            "apicurio-", "postgresql-", "hadoop-");

    @TempDir
    Path temp;

    @Test
    void jdbcSourceAndS3SinkRunFromThePluginArchiveInIsolation(KafkaBroker kafka, PostgresServer postgres,
            S3Server s3, RegistryServer registry) throws Exception {
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

            Path credentials = credentials(secrets, postgres, s3);
            rest.putConfig("plugin-it-source", sourceConfig(postgres, registry, credentials));
            rest.putConfig("plugin-it-sink", sinkConfig(kafka, s3, registry, credentials));
            try {
                Await.until("both connectors and their tasks running", DEADLINE,
                        () -> rest.isRunning("plugin-it-source") && rest.isRunning("plugin-it-sink"));
            } catch (Await.AwaitTimeoutException e) {
                System.out.println("worker log " + worker.logFile() + ":\n" + Files.readString(worker.logFile()));
                throw new AssertionError(e.getMessage() + "; source: " + rest.status("plugin-it-source")
                        + "; sink: " + rest.status("plugin-it-sink"), e);
            }

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

    /** The passwords and keys the connector configs name by reference, as a file the worker's provider reads. */
    private static Path credentials(Path secrets, PostgresServer postgres, S3Server s3) throws IOException {
        Path credentials = secrets.resolve("credentials.properties");
        Properties values = new Properties();
        values.setProperty("postgres.password", postgres.password());
        values.setProperty("aws.access.key.id", s3.accessKey());
        values.setProperty("aws.secret.access.key", s3.secretKey());
        try (OutputStream out = Files.newOutputStream(credentials)) {
            values.store(out, null);
        }
        return credentials;
    }

    private static String secret(Path credentials, String key) {
        return "${file:" + credentials + ":" + key + "}";
    }

    private static Map<String, String> sourceConfig(PostgresServer postgres, RegistryServer registry,
            Path credentials) {
        return TEMPLATES.get(ConnectorTemplates.JDBC_SOURCE).render(Map.ofEntries(
                Map.entry("connection.url", postgres.jdbcUrl(PostgresServer.WAREHOUSE_DB)),
                Map.entry("connection.user", postgres.user()),
                Map.entry("connection.password", secret(credentials, "postgres.password")),
                Map.entry("tables", TABLE),
                Map.entry("mode", "incrementing"),
                Map.entry("incrementing.column.name", "id"),
                Map.entry("timestamp.column.name", ""),
                Map.entry("topic.prefix", "it.plugin."),
                Map.entry("poll.interval.ms", "200"),
                Map.entry("tasks.max", "1"),
                Map.entry("registry.url", registry.registryV2Url())));
    }

    private static Map<String, String> sinkConfig(KafkaBroker kafka, S3Server s3, RegistryServer registry,
            Path credentials) {
        return TEMPLATES.get(ConnectorTemplates.S3_PARQUET_SINK).render(Map.ofEntries(
                Map.entry("topics", TOPIC),
                Map.entry("topics.dir", LAKE_PREFIX),
                Map.entry("s3.bucket.name", S3Server.LAKE_BUCKET),
                Map.entry("s3.endpoint", s3.endpoint().toString()),
                Map.entry("s3.region", s3.region()),
                Map.entry("s3.path.style.access", "true"),
                Map.entry("aws.access.key.id", secret(credentials, "aws.access.key.id")),
                Map.entry("aws.secret.access.key", secret(credentials, "aws.secret.access.key")),
                Map.entry("flush.size", "1000"),
                Map.entry("rotate.idle.ms", "1000"),
                Map.entry("parquet.codec", "zstd"),
                Map.entry("kafka.bootstrap.servers", kafka.bootstrapServers()),
                Map.entry("registry.url", registry.registryV2Url())));
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
