package dev.sluice.app.dataset.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;

import org.apache.avro.Schema;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.sluice.app.connect.ConnectorService;
import dev.sluice.app.dataset.DatasetActions;
import dev.sluice.app.dataset.DatasetSpec;
import dev.sluice.app.dataset.DatasetSpecParser;
import dev.sluice.app.serde.RegistryClient;
import dev.sluice.app.testing.LakeSinkParameters;
import dev.sluice.connect.admin.ConnectRestClient;
import dev.sluice.connect.template.ConnectorTemplates;
import dev.sluice.embedded.Await;
import dev.sluice.embedded.ConnectWorker;
import dev.sluice.embedded.EmbeddedPlatformExtension;
import dev.sluice.embedded.KafkaBroker;
import dev.sluice.embedded.Ports;
import dev.sluice.embedded.PostgresServer;
import dev.sluice.embedded.RegistryServer;
import dev.sluice.embedded.S3Server;
import io.micronaut.context.ApplicationContext;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * What applying a dataset specification does outside the topology, against the real embedded platform: a cdc
 * table joins its connector's include list and publication (as the publisher login) and its rows reach bronze and
 * the lake partitioned by the spec's field; a jdbc table gets its own JDBC source; a topic dataset is checked for
 * its topic and subject. Applying twice changes nothing; removing undoes it and may be repeated.
 */
@ExtendWith(EmbeddedPlatformExtension.class)
class DatasetSourceActionsIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final DatasetSpecParser PARSER = new DatasetSpecParser("shop-cdc");

    private static ApplicationContext context;
    private static ConnectRestClient connect;
    private static ConnectorService connectors;
    private static KafkaBroker kafka;
    private static PostgresServer postgres;
    private static RegistryServer registry;
    private static S3Server s3;
    private static Path secretsFile;
    private static String suffix;

    @BeforeAll
    static void start(KafkaBroker broker, ConnectWorker worker, PostgresServer database, RegistryServer schemas,
            S3Server objects) throws Exception {
        kafka = broker;
        postgres = database;
        registry = schemas;
        s3 = objects;
        suffix = UUID.randomUUID().toString().substring(0, 8);
        secretsFile = Files.createTempDirectory("dataset-source-it").resolve("connect.properties");
        Properties secrets = new Properties();
        secrets.setProperty("postgres.cdc.password", postgres.cdcLogin().password());
        secrets.setProperty("postgres.reader.password", postgres.readerLogin().password());
        secrets.setProperty("s3.access.key", s3.accessKey());
        secrets.setProperty("s3.secret.key", s3.secretKey());
        try (var out = Files.newOutputStream(secretsFile)) {
            secrets.store(out, "test secrets");
        }
        connect = new ConnectRestClient(worker.restUrl());
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("sluice.connect.url", worker.restUrl());
        props.put("sluice.registry.url", registry.registryV2Url());
        props.put("kafka.bootstrap.servers", kafka.bootstrapServers());
        // The topology is not under test here; the actions do not depend on it.
        props.put("kafka.enabled", false);
        props.put("sluice.datasets.publication.password", postgres.publisherLogin().password());
        props.put("sluice.datasets.jdbc.url", postgres.jdbcUrl(PostgresServer.WAREHOUSE_DB));
        props.put("sluice.datasets.jdbc.user", postgres.readerLogin().user());
        props.put("sluice.datasets.jdbc.password-reference", "file:" + secretsFile + ":postgres.reader.password");
        context = ApplicationContext.run(props);
        connectors = context.getBean(ConnectorService.class);
    }

    @AfterAll
    static void stop() {
        if (context != null) {
            context.close();
        }
    }

    @Test
    void aCdcTableJoinsItsConnectorPublicationAndLakeSinkAndLeavesThemAgain() throws Exception {
        String table = "ds_" + suffix;
        String publication = "pub_" + suffix;
        String cdc = "cdc-" + suffix;
        String topic = "bronze.pg." + table;
        String bucket = "ds-" + suffix;
        sql(PostgresServer.SHOP_DB, "CREATE TABLE public." + table
                        + " (id INT PRIMARY KEY, region TEXT NOT NULL, amount INT)",
                "CREATE TABLE public.nokey_" + suffix + " (id INT)",
                "CREATE PUBLICATION " + publication + " FOR TABLE public.debezium_signal");
        connect.putConfig(cdc, new ConnectorTemplates().get(ConnectorTemplates.POSTGRES_CDC).render(Map.of(
                "database.hostname", Ports.HOST,
                "database.port", Integer.toString(postgres.port()),
                "database.user", postgres.cdcLogin().user(),
                "database.password", reference("postgres.cdc.password"),
                "database.dbname", PostgresServer.SHOP_DB,
                "table.include.list", "public.debezium_signal",
                "slot.name", "ds_" + suffix,
                "publication.name", publication,
                "publication.autocreate.mode", "disabled",
                "registry.url", registry.registryV2Url())));
        s3.createBucket(bucket);
        kafka.createTopics(1, "seed_" + suffix);
        Map<String, String> sink = LakeSinkParameters.of("seed_" + suffix, bucket, "bronze", "dlq.sink", registry,
                s3);
        sink.put("aws.access.key.id", reference("s3.access.key"));
        sink.put("aws.secret.access.key", reference("s3.secret.key"));
        sink.put("flush.size", "1");
        connect.putConfig("lake-bronze", new ConnectorTemplates().get(ConnectorTemplates.S3_PARQUET_SINK)
                .render(sink));
        Await.until(cdc + " running", TIMEOUT, () -> connect.isRunning(cdc));

        String yaml = """
                name: %s
                source:
                  kind: cdc
                  table: public.%s
                  connector: %s
                key: [id]
                lake:
                  zones: [bronze]
                  partition-by: [region]
                """.formatted(table, table, cdc);
        DatasetSpec spec = spec(table, yaml);
        assertEquals(List.of(), problems(spec));
        assertProblem(spec(table, yaml.replace("connector: " + cdc, "connector: nope-" + suffix)),
                "source.connector: no connector 'nope-" + suffix + "'");
        assertProblem(spec(table, yaml.replace("public." + table, "public.nokey_" + suffix)),
                "source.table: public.nokey_" + suffix + " has neither a primary key nor a REPLICA IDENTITY");
        assertProblem(spec(table, yaml.replace("public." + table, "public.absent_" + suffix)),
                "source.table: no table public.absent_" + suffix);

        applyAll(spec);
        assertTrue(published(publication, table), "the publisher login added the table to the publication");
        assertTrue(includeList(cdc).contains("public." + table), includeList(cdc).toString());
        assertTrue(includeList(cdc).contains("public.debezium_signal"), "the signalling table stays");
        assertEquals("seed_" + suffix + "," + topic, connect.config("lake-bronze").path("topics").asText());
        assertEquals(topic + "=region", connect.config("lake-bronze").path("topic.partition.fields").asText());

        sql(PostgresServer.SHOP_DB, "INSERT INTO public." + table + " VALUES (1, 'EU', 10), (2, 'US', 20)");
        awaitRecords(topic, 2);
        Await.until("Parquet of both regions in the lake", TIMEOUT, () -> {
            List<String> keys = lakeKeys(bucket, "bronze/" + topic + "/");
            return keys.stream().anyMatch(k -> k.contains("/region=EU/") && k.endsWith(".parquet"))
                    && keys.stream().anyMatch(k -> k.contains("/region=US/") && k.endsWith(".parquet"));
        });

        String cdcBefore = connect.config(cdc).toString();
        String sinkBefore = connect.config("lake-bronze").toString();
        applyAll(spec);
        assertEquals(cdcBefore, connect.config(cdc).toString(), "a second apply changes nothing");
        assertEquals(sinkBefore, connect.config("lake-bronze").toString());

        removeAll(spec);
        assertFalse(published(publication, table));
        assertFalse(includeList(cdc).contains("public." + table), includeList(cdc).toString());
        assertTrue(includeList(cdc).contains("public.debezium_signal"));
        assertEquals("seed_" + suffix, connect.config("lake-bronze").path("topics").asText());
        assertTrue(connect.config("lake-bronze").path("topic.partition.fields").isMissingNode());
        removeAll(spec);

        connect.delete(cdc);
        connect.delete("lake-bronze");
        // The slot would hold back WAL for the rest of the run; only a REPLICATION role may drop it.
        Await.until("slot ds_" + suffix + " released and dropped", TIMEOUT, () -> {
            try (Connection replication = postgres.connect(PostgresServer.SHOP_DB, postgres.cdcLogin());
                    Statement statement = replication.createStatement();
                    ResultSet rows = statement.executeQuery("SELECT pg_drop_replication_slot(slot_name) "
                            + "FROM pg_replication_slots WHERE slot_name = 'ds_" + suffix + "' AND NOT active")) {
                return rows.next();
            }
        });
    }

    @Test
    void aJdbcTableGetsAJdbcSourceOfItsOwnThatRemoveDeletes() throws Exception {
        String table = "dsj_" + suffix;
        String name = "dataset-" + table;
        sql(PostgresServer.WAREHOUSE_DB, "CREATE TABLE public." + table
                        + " (id SERIAL PRIMARY KEY, region TEXT NOT NULL, updated_at TIMESTAMP NOT NULL DEFAULT now())",
                "INSERT INTO public." + table + " (region) VALUES ('EU'), ('US')");
        String yaml = """
                name: %s
                source:
                  kind: jdbc
                  table: %s
                  jdbc:
                    mode: incrementing
                    incrementing-column: id
                    poll-interval: 1s
                key: [id]
                """.formatted(table, table);
        DatasetSpec spec = spec(table, yaml);
        assertEquals(List.of(), problems(spec));
        assertProblem(spec(table, yaml.replace("incrementing-column: id", "incrementing-column: nope")),
                "source.jdbc.incrementing-column: 'nope' is no column of public." + table);

        applyAll(spec);
        Await.until(name + " running", TIMEOUT, () -> connect.isRunning(name));
        assertEquals("bronze.warehouse.", connect.config(name).path("topic.prefix").asText());
        assertEquals("${file:" + secretsFile + ":postgres.reader.password}",
                connect.config(name).path("connection.password").asText(), "a reference, never the password");
        awaitRecords("bronze.warehouse." + table, 2);
        String before = connect.config(name).toString();
        applyAll(spec);
        assertEquals(before, connect.config(name).toString(), "a second apply changes nothing");
        // Another table may not take over a source that polls this one.
        String other = yaml.replace("name: " + table, "name: dsk_" + suffix)
                .replace("table: " + table, "table: dsk_" + suffix)
                .replace("kind: jdbc", "kind: jdbc\n  connector: " + name);
        assertProblem(spec("dsk_" + suffix, other), "source.connector: JDBC source '" + name
                + "' exists and polls other tables [" + table + "]");

        removeAll(spec);
        assertFalse(connectors.exists(name));
        removeAll(spec);
    }

    @Test
    void aTopicDatasetNeedsItsTopicAndASchemaUnderItsSubject() throws Exception {
        String topic = "events.dst_" + suffix;
        DatasetSpec spec = spec("dst_" + suffix, """
                name: dst_%s
                source:
                  kind: topic
                  topic: %s
                  key-format: string
                """.formatted(suffix, topic));
        try (Admin admin = kafka.admin()) {
            TopicDatasetActions actions = new TopicDatasetActions(() -> admin,
                    new SubjectSchemas(registry.registryV2Url(), Duration.ofSeconds(5)));
            assertEquals(List.of("source.topic: no topic '" + topic + "' on the Kafka cluster",
                    "source.subject: the registry has no schema under subject '" + topic + "-value'"),
                    actions.problems(spec));
            kafka.createTopics(1, topic);
            new RegistryClient(registry.registryV2Url(), Duration.ofSeconds(5)).register(topic + "-value",
                    new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"E\",\"fields\":[{\"name\":\"id\","
                            + "\"type\":\"string\"}]}"));
            assertEquals(List.of(), actions.problems(spec));
        }
    }

    private static DatasetSpec spec(String name, String yaml) {
        return PARSER.parse("datasets/" + name + ".yaml", yaml);
    }

    private static List<String> problems(DatasetSpec spec) {
        List<String> problems = new ArrayList<>();
        for (DatasetActions actions : context.getBeansOfType(DatasetActions.class)) {
            problems.addAll(actions.problems(spec));
        }
        return problems;
    }

    private static void assertProblem(DatasetSpec spec, String expected) {
        List<String> problems = problems(spec);
        assertTrue(problems.stream().anyMatch(p -> p.startsWith(expected)), "expected '" + expected + "' in "
                + problems);
    }

    private static void applyAll(DatasetSpec spec) {
        context.getBeansOfType(DatasetActions.class).forEach(actions -> actions.apply(spec));
    }

    private static void removeAll(DatasetSpec spec) {
        context.getBeansOfType(DatasetActions.class).forEach(actions -> actions.remove(spec));
    }

    private static String reference(String key) {
        return "${file:" + secretsFile + ":" + key + "}";
    }

    private static List<String> includeList(String connector) {
        return List.of(connect.config(connector).path("table.include.list").asText().split(","));
    }

    private static boolean published(String publication, String table) throws SQLException {
        try (Connection owner = postgres.connect(PostgresServer.SHOP_DB); Statement statement = owner.createStatement();
                ResultSet rows = statement.executeQuery("SELECT count(*) FROM pg_publication_tables WHERE pubname = '"
                        + publication + "' AND tablename = '" + table + "'")) {
            rows.next();
            return rows.getInt(1) == 1;
        }
    }

    private static List<String> lakeKeys(String bucket, String prefix) {
        return s3.client().listObjectsV2Paginator(ListObjectsV2Request.builder().bucket(bucket).prefix(prefix)
                .build()).contents().stream().map(S3Object::key).toList();
    }

    private static void awaitRecords(String topic, int count) {
        Properties props = kafka.clientProperties();
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "dataset-source-it-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            Set<String> keys = new HashSet<>();
            Await.until(count + " keys on " + topic, TIMEOUT, () -> {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    keys.add(Arrays.toString(record.key()));
                }
                return keys.size() >= count;
            });
        }
    }

    private static void sql(String database, String... statements) throws SQLException {
        try (Connection owner = postgres.connect(database); Statement statement = owner.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }
}
