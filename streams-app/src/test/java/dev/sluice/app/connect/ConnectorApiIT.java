package dev.sluice.app.connect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.function.LongPredicate;

import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;

import dev.sluice.embedded.Await;
import dev.sluice.embedded.ConnectWorker;
import dev.sluice.embedded.EmbeddedPlatformExtension;
import dev.sluice.embedded.KafkaBroker;
import dev.sluice.embedded.PostgresServer;
import dev.sluice.embedded.RegistryServer;
import dev.sluice.embedded.S3Server;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;

/**
 * The connector REST API of streams-app against a real Kafka Connect worker, PostgreSQL, Kafka broker and schema
 * registry: CDC and JDBC source connectors created through the API deliver rows, incremental snapshots are
 * signalled, the lifecycle endpoints act on Connect, bad configurations are answered 400 naming the field, and
 * the database password never appears in an answer or a log line. An S3 sink created from its template sends an
 * unreadable record to the Connect dead letter queue. CDC connectors run as the CDC role (REPLICATION, no table
 * ownership) on a publication their tables' owner created; their replication slot is measured, pausing warns that
 * it holds back WAL, and deleting keeps it (with a warning) unless asked to drop it.
 */
@ExtendWith(EmbeddedPlatformExtension.class)
class ConnectorApiIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String CDC_PASSWORD_KEY = "postgres.cdc.password";

    private static KafkaBroker kafka;
    private static PostgresServer postgres;
    private static RegistryServer registry;
    private static EmbeddedServer server;
    private static ApiClient api;
    private static CapturedLogs logs;
    private static Path secretsFile;
    private static String connectUrl;
    private static String suffix;

    @BeforeAll
    static void start(KafkaBroker broker, ConnectWorker connect, PostgresServer database, RegistryServer schemas)
            throws Exception {
        kafka = broker;
        postgres = database;
        registry = schemas;
        suffix = UUID.randomUUID().toString().substring(0, 8);
        logs = new CapturedLogs();
        Path dir = Files.createTempDirectory("connector-api-it");
        secretsFile = dir.resolve("secrets.properties");
        Properties secrets = new Properties();
        secrets.setProperty("postgres.password", postgres.password());
        secrets.setProperty("wrong.password", "not-the-password");
        secrets.setProperty(CDC_PASSWORD_KEY, postgres.cdcLogin().password());
        try (var out = Files.newOutputStream(secretsFile)) {
            secrets.store(out, "test secrets");
        }
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("micronaut.server.port", -1);
        props.put("sluice.connect.url", connect.restUrl());
        connectUrl = connect.restUrl();
        props.put("sluice.connect.slots.poll-interval", "1s");
        props.put("kafka.bootstrap.servers", kafka.bootstrapServers());
        // The topology is not under test here (StreamsAppIT runs it); the connector API does not depend on it.
        props.put("kafka.enabled", false);
        server = ApplicationContext.run(EmbeddedServer.class, props);
        api = new ApiClient(server.getURL().toString());
    }

    @AfterAll
    static void stop() {
        try {
            assertNoSecretAnywhere();
        } finally {
            if (server != null) {
                server.close();
            }
            if (logs != null) {
                logs.close();
            }
        }
    }

    @Test
    void cdcConnectorFromTemplateCapturesChangesSnapshotsAndFollowsTheLifecycle() throws Exception {
        String table = "api_cdc_" + suffix;
        String name = "cdc-" + suffix;
        String topic = "bronze.pg." + table;
        sql(PostgresServer.SHOP_DB, "CREATE TABLE public." + table + " (id INT PRIMARY KEY, name TEXT NOT NULL)",
                "INSERT INTO public." + table + " VALUES (1, 'one'), (2, 'two')");
        createPublication("sluice_" + suffix, table);

        HttpResponse<String> created = api.post("/api/connectors", Map.of("template", "postgres-cdc", "name", name,
                "parameters", cdcParameters(table, "sluice_" + suffix, cdcPasswordReference(), "initial")));
        assertEquals(201, created.statusCode(), created.body());
        JsonNode view = ApiClient.json(created);
        assertEquals(cdcPasswordReference(),
                view.path("config").path("database.password").asText(), "a reference is shown, it is no secret");
        awaitState(name, "RUNNING");

        try (KafkaConsumer<byte[], byte[]> consumer = consumer(topic)) {
            RegistryAvro avro = new RegistryAvro(registry.ccompatUrl());
            List<GenericRecord> events = new ArrayList<>();
            awaitEvents(consumer, avro, events, 2);
            sql(PostgresServer.SHOP_DB, "INSERT INTO public." + table + " VALUES (3, 'three')",
                    "UPDATE public." + table + " SET name = 'TWO' WHERE id = 2",
                    "DELETE FROM public." + table + " WHERE id = 1");
            awaitEvents(consumer, avro, events, 5);
            assertEquals(List.of("r", "r", "c", "u", "d"), ops(events), events.toString());
            assertEquals("TWO", events.get(3).get("name").toString());
            assertEquals("true", events.get(4).get("__deleted").toString());

            HttpResponse<String> notCaptured = api.post("/api/connectors/" + name + "/snapshots",
                    Map.of("tables", List.of("public.orders")));
            assertEquals(400, notCaptured.statusCode(), notCaptured.body());
            assertEquals("tables", ApiClient.json(notCaptured).path("errors").get(0).path("field").asText());

            HttpResponse<String> snapshot = api.post("/api/connectors/" + name + "/snapshots",
                    Map.of("tables", List.of("public." + table)));
            assertEquals(202, snapshot.statusCode(), snapshot.body());
            awaitEvents(consumer, avro, events, 7);
            List<GenericRecord> reread = events.subList(5, 7);
            assertEquals(List.of("r", "r"), ops(reread));
            assertEquals(Set.of(2, 3), Set.of((Integer) reread.get(0).get("id"), (Integer) reread.get(1).get("id")),
                    "the incremental snapshot re-reads the rows that exist now");
        }

        HttpResponse<String> duplicate = api.post("/api/connectors", Map.of("template", "postgres-cdc", "name", name,
                "parameters", cdcParameters(table, "other_" + suffix, "${env:NOPE}", "initial")));
        assertEquals(409, duplicate.statusCode(), duplicate.body());

        JsonNode listed = findListed(name);
        assertEquals("source", listed.path("type").asText());
        assertEquals("RUNNING", listed.path("tasks").get(0).path("state").asText());
        assertTrue(listed.path("config").isMissingNode() || listed.path("config").isNull(), "no config in the list");

        HttpResponse<String> paused = api.post("/api/connectors/" + name + "/pause", null);
        assertEquals(202, paused.statusCode(), paused.body());
        assertTrue(ApiClient.json(paused).path("warnings").get(0).asText().contains("'sluice_" + suffix + "'"),
                paused.body());
        awaitState(name, "PAUSED");
        assertEquals(202, api.post("/api/connectors/" + name + "/resume", null).statusCode());
        awaitState(name, "RUNNING");
        HttpResponse<String> restarted = api.post("/api/connectors/" + name
                + "/restart?includeTasks=true&onlyFailed=false", null);
        assertEquals(202, restarted.statusCode(), restarted.body());
        awaitState(name, "RUNNING");

        // A CDC connector's delete answers with its slot, which stays (no dropSlot): 200 with a body, not 204.
        HttpResponse<String> deleted = api.delete("/api/connectors/" + name);
        assertEquals(200, deleted.statusCode(), deleted.body());
        assertEquals("sluice_" + suffix, ApiClient.json(deleted).path("slot").path("slot").asText(), deleted.body());
        assertFalse(ApiClient.json(deleted).path("slotDropped").asBoolean(), deleted.body());
        HttpResponse<String> gone = api.get("/api/connectors/" + name);
        assertEquals(404, gone.statusCode(), gone.body());
        assertTrue(gone.headers().firstValue("Content-Type").orElse("").startsWith(Problem.MEDIA_TYPE));
        dropSlotAndPublication("sluice_" + suffix);
    }

    @Test
    void theSlotIsMeasuredGrowsWhilePausedAndIsDroppedOnlyWhenAsked() throws Exception {
        String table = "api_slot_" + suffix;
        String kept = "kept_" + suffix;
        String dropped = "dropped_" + suffix;
        sql(PostgresServer.SHOP_DB, "CREATE TABLE public." + table + " (id INT PRIMARY KEY, pad TEXT NOT NULL)");
        createPublication(kept, table);
        createPublication(dropped, table);
        // One at a time: Debezium connectors of one topic.prefix share JMX names, a second waits for the first.
        createStreamingCdc(table, kept);

        long before = awaitRetainedMetric("slot-" + kept, kept, v -> v >= 0);
        HttpResponse<String> paused = api.post("/api/connectors/slot-" + kept + "/pause", null);
        assertEquals(202, paused.statusCode(), paused.body());
        String warning = ApiClient.json(paused).path("warnings").get(0).asText();
        assertTrue(warning.contains("'" + kept + "'") && warning.contains("max_slot_wal_keep_size"), warning);
        awaitState("slot-" + kept, "PAUSED");
        // About 10 MB of WAL that the paused connector does not confirm.
        sql(PostgresServer.SHOP_DB, "INSERT INTO public." + table + " SELECT i, repeat('x', 1000) "
                + "FROM generate_series(1, 10000) AS i");
        long grown = awaitRetainedMetric("slot-" + kept, kept, v -> v > before + 5_000_000);
        assertTrue(grown > before, before + " -> " + grown);

        HttpResponse<String> keep = api.delete("/api/connectors/slot-" + kept);
        assertEquals(200, keep.statusCode(), keep.body());
        JsonNode keptAnswer = ApiClient.json(keep);
        assertEquals(kept, keptAnswer.path("slot").path("slot").asText(), keep.body());
        assertTrue(keptAnswer.path("slot").path("retainedWalBytes").asLong() > 5_000_000, keep.body());
        assertFalse(keptAnswer.path("slotDropped").asBoolean());
        assertTrue(keptAnswer.path("warnings").get(0).asText().contains("remains"), keep.body());
        assertTrue(slotActive(kept).isPresent(), "without dropSlot the slot stays");

        createStreamingCdc(table, dropped);
        HttpResponse<String> drop = api.delete("/api/connectors/slot-" + dropped + "?dropSlot=true");
        assertEquals(200, drop.statusCode(), drop.body());
        JsonNode dropAnswer = ApiClient.json(drop);
        assertTrue(dropAnswer.path("slotDropped").asBoolean(), drop.body());
        assertTrue(dropAnswer.path("warnings").toString().contains("publication '" + dropped + "' is left"),
                drop.body());
        assertEquals(Optional.empty(), slotActive(dropped), "the slot is gone");
        assertEquals(1, count(PostgresServer.SHOP_DB, "SELECT count(*) FROM pg_publication WHERE pubname = '"
                + dropped + "'"), "the publication stays");

        HttpResponse<String> notCdc = api.delete("/api/connectors/no-such-" + suffix + "?dropSlot=true");
        assertEquals(404, notCdc.statusCode(), notCdc.body());
        dropSlotAndPublication(kept);
        sql(PostgresServer.SHOP_DB, "DROP PUBLICATION " + dropped);
    }

    @Test
    void jdbcSourceFromTemplateCopiesTheTableAndFollowsNewRows() throws Exception {
        String name = "jdbc-" + suffix;
        String prefix = "it.jdbc." + suffix + ".";
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("connection.url", postgres.jdbcUrl(PostgresServer.WAREHOUSE_DB));
        parameters.put("connection.user", postgres.user());
        parameters.put("connection.password", "${file:" + secretsFile + ":postgres.password}");
        parameters.put("tables", "exchange_rates");
        parameters.put("topic.prefix", prefix);
        parameters.put("poll.interval.ms", 200);
        parameters.put("timestamp.delay.interval.ms", 0);
        parameters.put("tasks.max", 1);
        parameters.put("registry.url", registry.registryV2Url());

        HttpResponse<String> created = api.post("/api/connectors",
                Map.of("template", "jdbc-source", "name", name, "parameters", parameters));
        assertEquals(201, created.statusCode(), created.body());
        awaitState(name, "RUNNING");

        int rows = count(PostgresServer.WAREHOUSE_DB, "SELECT count(*) FROM exchange_rates");
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(prefix + "exchange_rates")) {
            RegistryAvro avro = new RegistryAvro(registry.ccompatUrl());
            List<GenericRecord> records = new ArrayList<>();
            awaitEvents(consumer, avro, records, rows);
            sql(PostgresServer.WAREHOUSE_DB, "INSERT INTO exchange_rates (currency, rate_to_eur) VALUES ('JPY', "
                    + "0.0061)");
            awaitEvents(consumer, avro, records, rows + 1);
            assertEquals("JPY", records.get(rows).get("currency").toString());
        }
        assertEquals(204, api.delete("/api/connectors/" + name).statusCode());
    }

    @Test
    void s3SinkFromTemplateSendsUnreadableRecordsToTheDeadLetterQueue(S3Server s3) throws Exception {
        String name = "sink-" + suffix;
        String topic = "it.sink." + suffix;
        String dlq = "dlq.sink.it." + suffix;
        kafka.createTopics(1, topic);
        Properties secrets = new Properties();
        secrets.setProperty("s3.access.key", s3.accessKey());
        secrets.setProperty("s3.secret.key", s3.secretKey());
        Path s3Secrets = secretsFile.resolveSibling("s3.properties");
        try (var out = Files.newOutputStream(s3Secrets)) {
            secrets.store(out, "test secrets");
        }
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("topics", topic);
        parameters.put("s3.endpoint", s3.endpoint().toString());
        parameters.put("s3.region", s3.region());
        parameters.put("s3.path.style.access", true);
        parameters.put("aws.access.key.id", "${file:" + s3Secrets + ":s3.access.key}");
        parameters.put("aws.secret.access.key", "${file:" + s3Secrets + ":s3.secret.key}");
        parameters.put("topics.dir", "it-" + suffix);
        parameters.put("dlq.topic", dlq);
        parameters.put("registry.url", registry.registryV2Url());
        // The task decodes values itself and dead-letters an undecodable one with its file group, when the group is
        // committed: here at the first idle rotation (the template's default waits five minutes).
        parameters.put("rotate.idle.ms", 1000);

        HttpResponse<String> created = api.post("/api/connectors",
                Map.of("template", "s3-parquet-sink", "name", name, "parameters", parameters));
        assertEquals(201, created.statusCode(), created.body());
        assertEquals("sink", awaitState(name, "RUNNING").path("type").asText());

        Properties producerProps = kafka.clientProperties();
        producerProps.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        producerProps.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        byte[] notAvro = "{\"not\": \"avro\"}".getBytes(StandardCharsets.UTF_8);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProps)) {
            ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, "k1".getBytes(StandardCharsets.UTF_8),
                    notAvro);
            record.headers().add("origin", "it".getBytes(StandardCharsets.UTF_8));
            producer.send(record).get();
        }
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(dlq)) {
            List<ConsumerRecord<byte[], byte[]>> dead = new ArrayList<>();
            Await.until("dead letter", TIMEOUT, () -> {
                consumer.poll(Duration.ofMillis(200)).forEach(dead::add);
                return !dead.isEmpty();
            });
            ConsumerRecord<byte[], byte[]> letter = dead.get(0);
            assertArrayEquals(notAvro, letter.value(), "original value bytes");
            assertArrayEquals("k1".getBytes(StandardCharsets.UTF_8), letter.key());
            assertEquals("it", new String(letter.headers().lastHeader("origin").value(), StandardCharsets.UTF_8));
            assertEquals(topic, new String(letter.headers().lastHeader("__connect.errors.topic").value(),
                    StandardCharsets.UTF_8));
        }
        assertEquals("RUNNING", ApiClient.json(api.get("/api/connectors/" + name)).path("tasks").get(0)
                .path("state").asText(), "a bad record does not stop the sink");
        assertEquals(204, api.delete("/api/connectors/" + name).statusCode());
    }

    @Test
    void literalSecretsAreRefusedWithTheWayToReferenceThem() {
        Map<String, Object> config = jdbcConfig("it.refused." + suffix + ".");
        config.put("connection.password", postgres.password());

        HttpResponse<String> refused = api.post("/api/connectors", Map.of("name", "jdbc-refused-" + suffix,
                "config", config));
        assertEquals(400, refused.statusCode(), refused.body());
        assertEquals(List.of("connection.password"), fields(refused));
        String why = ApiClient.json(refused).path("errors").get(0).path("messages").get(0).asText();
        assertTrue(why.contains("${file:") && why.contains("${env:"), why);
        assertEquals(404, api.get("/api/connectors/jdbc-refused-" + suffix).statusCode(), "nothing was created");

        HttpResponse<String> fromTemplate = api.post("/api/connectors", Map.of("template", "postgres-cdc",
                "name", "cdc-refused-" + suffix, "parameters", cdcParameters("t", "s", postgres.password(),
                        "initial")));
        assertEquals(400, fromTemplate.statusCode(), fromTemplate.body());
        assertEquals(List.of("database.password"), fields(fromTemplate));
    }

    /**
     * Connectors made without this API (Strimzi KafkaConnector resources, Connect's own REST, earlier versions) may
     * hold literal secrets: shown masked, and kept when the configuration is sent back masked.
     */
    @Test
    void literalSecretsOfConnectorsMadeElsewhereAreMaskedAndKeptWhenSentBackMasked() throws Exception {
        String name = "jdbc-literal-" + suffix;
        Map<String, Object> config = jdbcConfig("it.literal." + suffix + ".");
        config.put("connection.password", postgres.password());
        ApiClient connectRest = new ApiClient(connectUrl);
        HttpResponse<String> made = connectRest.put("/connectors/" + name + "/config", config);
        assertEquals(201, made.statusCode(), made.body());
        awaitState(name, "RUNNING");

        JsonNode shown = ApiClient.json(api.get("/api/connectors/" + name));
        assertEquals(SecretMasker.MASK, shown.path("config").path("connection.password").asText());

        // Sent back as shown (masked) with one change: validation connects with the stored password, so a 200
        // proves the mask was not stored in its place.
        Map<String, Object> edited = ApiClient.JSON.convertValue(shown.path("config"), Map.class);
        edited.put("poll.interval.ms", "750");
        HttpResponse<String> updated = api.put("/api/connectors/" + name, Map.of("config", edited));
        assertEquals(200, updated.statusCode(), updated.body());
        assertEquals("750", ApiClient.json(updated).path("config").path("poll.interval.ms").asText());
        assertEquals(SecretMasker.MASK, ApiClient.json(updated).path("config").path("connection.password").asText());
        awaitState(name, "RUNNING");

        Map<String, Object> wrong = new LinkedHashMap<>(edited);
        wrong.put("connection.password", "${file:" + secretsFile + ":wrong.password}");
        HttpResponse<String> rejected = api.put("/api/connectors/" + name, Map.of("config", wrong));
        assertEquals(400, rejected.statusCode(), rejected.body());
        assertTrue(fields(rejected).contains("connection.password") || fields(rejected).contains("connection.user"),
                rejected.body());
        assertEquals(204, api.delete("/api/connectors/" + name).statusCode());
    }

    /**
     * Connect resolves references before it validates and quotes resolved values in its messages: a secret
     * planted where a number is expected, or where a user name is, must not come back (assertNoSecretAnywhere
     * checks every answer of the class for the password after all tests).
     */
    @Test
    void valuesResolvedFromReferencesAreNeverEchoed() {
        String passwordRef = "${file:" + secretsFile + ":postgres.password}";
        Map<String, Object> asNumber = jdbcConfig("it.echo." + suffix + ".");
        asNumber.put("connection.password", passwordRef);
        asNumber.put("tasks.max", passwordRef);
        HttpResponse<String> number = api.post("/api/connectors", Map.of("name", "echo-" + suffix,
                "config", asNumber));
        assertEquals(400, number.statusCode(), number.body());
        assertTrue(fields(number).contains("tasks.max"), number.body());
        assertTrue(number.body().contains("its message is not shown"), number.body());

        Map<String, Object> asUser = jdbcConfig("it.echo." + suffix + ".");
        asUser.put("connection.password", passwordRef);
        asUser.put("connection.user", passwordRef);
        HttpResponse<String> user = api.post("/api/connectors", Map.of("name", "echo-" + suffix, "config", asUser));
        assertEquals(400, user.statusCode(), user.body());
        assertFalse(user.body().contains(postgres.password()), user.body());

        Map<String, Object> inUrl = jdbcConfig("it.echo." + suffix + ".");
        inUrl.put("connection.password", passwordRef);
        inUrl.put("connection.url", "jdbc:postgresql://127.0.0.1:" + postgres.port() + "/" + passwordRef);
        HttpResponse<String> url = api.post("/api/connectors", Map.of("name", "echo-" + suffix, "config", inUrl));
        assertEquals(400, url.statusCode(), url.body());
        assertFalse(url.body().contains(postgres.password()), url.body());
    }

    @Test
    void onlyAllowlistedClassesAndSettingsThatStayInsideTheConnectorAreAccepted() {
        Map<String, Object> mirror = new LinkedHashMap<>();
        mirror.put("connector.class", "org.apache.kafka.connect.mirror.MirrorSourceConnector");
        mirror.put("source.cluster.bootstrap.servers", "attacker.example:9092");
        HttpResponse<String> otherClass = api.post("/api/connectors", Map.of("name", "policy-" + suffix,
                "config", mirror));
        assertEquals(400, otherClass.statusCode(), otherClass.body());
        assertEquals(List.of("connector.class"), fields(otherClass));

        Map<String, Object> reaching = jdbcConfig("it.policy." + suffix + ".");
        reaching.put("connection.password", "${file:" + secretsFile + ":postgres.password}");
        reaching.put("producer.override.bootstrap.servers", "attacker.example:9092");
        reaching.put("config.providers", "file");
        HttpResponse<String> overrides = api.post("/api/connectors", Map.of("name", "policy-" + suffix,
                "config", reaching));
        assertEquals(400, overrides.statusCode(), overrides.body());
        assertEquals(Set.of("producer.override.bootstrap.servers", "config.providers"),
                Set.copyOf(fields(overrides)));

        Map<String, Object> sql = new LinkedHashMap<>(cdcParameters("t", "s",
                "${file:" + secretsFile + ":postgres.password}", "initial"));
        sql.put("database.initial.statements", "ALTER ROLE " + postgres.user() + " NOSUPERUSER");
        HttpResponse<String> initial = api.post("/api/connectors", Map.of("template", "postgres-cdc",
                "name", "policy-" + suffix, "parameters", sql));
        assertEquals(400, initial.statusCode(), initial.body());
        assertEquals(404, api.get("/api/connectors/policy-" + suffix).statusCode(), "nothing was created");
    }

    @Test
    void badConfigurationsAreAnswered400NamingTheField() {
        String table = "api_bad_" + suffix;
        Map<String, Object> unknownParameter = new LinkedHashMap<>(cdcParameters(table, "bad_" + suffix,
                "${file:" + secretsFile + ":postgres.password}", "initial"));
        unknownParameter.put("database.pasword", "x");
        HttpResponse<String> unknown = api.post("/api/connectors", Map.of("template", "postgres-cdc",
                "name", "bad-" + suffix, "parameters", unknownParameter));
        assertEquals(400, unknown.statusCode(), unknown.body());
        assertEquals(List.of("parameters.database.pasword"), fields(unknown));

        HttpResponse<String> badMode = api.post("/api/connectors", Map.of("template", "postgres-cdc",
                "name", "bad-" + suffix, "parameters", cdcParameters(table, "bad_" + suffix,
                        "${file:" + secretsFile + ":postgres.password}", "sometimes")));
        assertEquals(400, badMode.statusCode(), badMode.body());
        assertTrue(fields(badMode).contains("snapshot.mode"), badMode.body());

        HttpResponse<String> missingTable = api.post("/api/connectors", Map.of("template", "jdbc-source",
                "name", "bad-" + suffix, "parameters", Map.of(
                        "connection.url", postgres.jdbcUrl(PostgresServer.WAREHOUSE_DB),
                        "connection.user", postgres.user(), "connection.password", "${file:" + secretsFile + ":postgres.password}",
                        "tables", "no_such_table", "registry.url", registry.registryV2Url())));
        assertEquals(400, missingTable.statusCode(), missingTable.body());
        assertTrue(fields(missingTable).contains("tables"), missingTable.body());

        HttpResponse<String> noClass = api.post("/api/connectors", Map.of("name", "bad-" + suffix,
                "config", Map.of("tasks.max", 1)));
        assertEquals(400, noClass.statusCode(), noClass.body());
        assertEquals(List.of("connector.class"), fields(noClass));

        HttpResponse<String> unknownClass = api.post("/api/connectors", Map.of("name", "bad-" + suffix,
                "config", Map.of("connector.class", "com.example.Nope")));
        assertEquals(400, unknownClass.statusCode(), unknownClass.body());
        assertEquals(List.of("connector.class"), fields(unknownClass));

        HttpResponse<String> unknownTemplate = api.post("/api/connectors", Map.of("name", "bad-" + suffix,
                "template", "mysql-cdc"));
        assertEquals(400, unknownTemplate.statusCode());
        assertEquals(List.of("template"), fields(unknownTemplate));

        HttpResponse<String> badName = api.post("/api/connectors", Map.of("name", "../admin",
                "template", "postgres-cdc"));
        assertEquals(400, badName.statusCode());
        assertEquals(List.of("name"), fields(badName));

        HttpResponse<String> notJson = api.post("/api/connectors", "{\"name\": \"x\", \"config\": {\"password\": \""
                + postgres.password() + "\"");
        assertEquals(400, notJson.statusCode(), notJson.body());
        assertFalse(notJson.body().contains(postgres.password()), "the body is not echoed");

        HttpResponse<String> list = api.get("/api/connectors");
        assertEquals(200, list.statusCode());
        for (JsonNode connector : ApiClient.json(list)) {
            assertFalse(connector.path("name").asText().startsWith("bad-"), "nothing was created: " + list.body());
        }
    }

    @Test
    void templatesAreListedWithDocumentedParameters() {
        HttpResponse<String> response = api.get("/api/connector-templates");
        assertEquals(200, response.statusCode());
        Map<String, JsonNode> byName = new LinkedHashMap<>();
        ApiClient.json(response).forEach(t -> byName.put(t.path("name").asText(), t));
        assertEquals(Set.of("postgres-cdc", "jdbc-source", "s3-parquet-sink", "iceberg-sink"), byName.keySet());
        for (JsonNode template : byName.values()) {
            assertFalse(template.path("description").asText().isBlank());
            for (JsonNode parameter : template.path("parameters")) {
                assertFalse(parameter.path("doc").asText().isBlank(), parameter.toString());
            }
        }
        JsonNode password = null;
        for (JsonNode parameter : byName.get("postgres-cdc").path("parameters")) {
            if (parameter.path("name").asText().equals("database.password")) {
                password = parameter;
            }
        }
        assertNotNull(password);
        assertTrue(password.path("secret").asBoolean());
        assertTrue(password.path("required").asBoolean());
    }

    @Test
    void theOpenApiDescriptionIsServed() {
        HttpResponse<String> response = api.get("/swagger/sluice.yml");
        assertEquals(200, response.statusCode());
        assertTrue(response.body().contains("openapi: 3"), response.body());
        for (String path : List.of("/api/connectors:", "/api/connectors/{name}:", "/api/connectors/{name}/snapshots:",
                "/api/connectors/{name}/restart:", "/api/connector-templates:")) {
            assertTrue(response.body().contains(path), path);
        }
    }

    private static void assertNoSecretAnywhere() {
        assertTrue(logs.lines().size() > 10, "logs were captured");
        for (String password : List.of(postgres.password(), postgres.cdcLogin().password())) {
            List<String> answers = api.transcript().stream().filter(t -> t.contains(password)).toList();
            assertEquals(List.of(), answers, "answers carrying a password");
            List<String> lines = logs.lines().stream().filter(l -> l.contains(password)).toList();
            assertEquals(List.of(), lines, "log lines carrying a password");
        }
    }

    private static String cdcPasswordReference() {
        return "${file:" + secretsFile + ":" + CDC_PASSWORD_KEY + "}";
    }

    private static Map<String, Object> jdbcConfig(String topicPrefix) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("connector.class", "dev.sluice.connect.jdbc.JdbcSourceConnector");
        config.put("tasks.max", "1");
        config.put("connection.url", postgres.jdbcUrl(PostgresServer.WAREHOUSE_DB));
        config.put("connection.user", postgres.user());
        config.put("tables", "product_catalog");
        config.put("mode", "incrementing");
        config.put("incrementing.column.name", "id");
        config.put("topic.prefix", topicPrefix);
        config.put("topic.creation.default.replication.factor", "-1");
        config.put("topic.creation.default.partitions", "1");
        return config;
    }

    private static Map<String, Object> cdcParameters(String table, String slot, String password, String snapshotMode) {
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("database.hostname", "127.0.0.1");
        parameters.put("database.port", postgres.port());
        parameters.put("database.user", postgres.cdcLogin().user());
        parameters.put("database.password", password);
        parameters.put("database.dbname", PostgresServer.SHOP_DB);
        parameters.put("table.include.list", "public." + table);
        parameters.put("slot.name", slot);
        parameters.put("publication.name", slot);
        // The CDC role owns no table: the publication is created beforehand by the owner (createPublication).
        parameters.put("publication.autocreate.mode", "disabled");
        parameters.put("snapshot.mode", snapshotMode);
        parameters.put("heartbeat.interval.ms", 1000);
        parameters.put("topic.partitions", 1);
        parameters.put("registry.url", registry.registryV2Url());
        return parameters;
    }

    private static JsonNode awaitState(String name, String state) {
        JsonNode[] last = new JsonNode[1];
        Await.until(name + " " + state, TIMEOUT, () -> {
            JsonNode view = ApiClient.json(api.get("/api/connectors/" + name));
            last[0] = view;
            if (!state.equals(view.path("state").asText()) || view.path("tasks").isEmpty()) {
                return false;
            }
            for (JsonNode task : view.path("tasks")) {
                if (!state.equals(task.path("state").asText())) {
                    return false;
                }
            }
            return true;
        });
        return last[0];
    }

    private static JsonNode findListed(String name) {
        HttpResponse<String> list = api.get("/api/connectors");
        assertEquals(200, list.statusCode(), list.body());
        for (JsonNode connector : ApiClient.json(list)) {
            if (connector.path("name").asText().equals(name)) {
                return connector;
            }
        }
        throw new AssertionError(name + " not listed: " + list.body());
    }

    private static List<String> fields(HttpResponse<String> response) {
        List<String> fields = new ArrayList<>();
        ApiClient.json(response).path("errors").forEach(e -> fields.add(e.path("field").asText()));
        return fields;
    }

    private static List<String> ops(List<GenericRecord> events) {
        return events.stream().map(e -> e.get("__op").toString()).toList();
    }

    private static KafkaConsumer<byte[], byte[]> consumer(String topic) {
        Properties props = kafka.clientProperties();
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props);
        // The connector creates the topic with one partition; read it from the start once it exists.
        Await.until("topic " + topic, TIMEOUT, () -> !consumer.partitionsFor(topic, Duration.ofSeconds(2)).isEmpty());
        TopicPartition partition = new TopicPartition(topic, 0);
        consumer.assign(List.of(partition));
        consumer.seekToBeginning(List.of(partition));
        return consumer;
    }

    private static void awaitEvents(KafkaConsumer<byte[], byte[]> consumer, RegistryAvro avro,
            List<GenericRecord> events, int count) {
        Await.until(count + " events", TIMEOUT, () -> {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                assertNotNull(record.key(), "every row has a key");
                events.add(avro.decode(record.value()));
            }
            return events.size() >= count;
        });
        assertEquals(count, events.size(), events.toString());
    }

    /** Dropped as the CDC role (the owner has no REPLICATION), the publication as the owner. */
    private static void dropSlotAndPublication(String slot) throws SQLException {
        Await.until("slot " + slot + " dropped", TIMEOUT, () -> {
            try (Connection connection = postgres.connect(PostgresServer.SHOP_DB, postgres.cdcLogin());
                    Statement statement = connection.createStatement()) {
                statement.execute("SELECT pg_drop_replication_slot('" + slot + "')");
                return true;
            } catch (SQLException e) {
                return false;
            }
        });
        sql(PostgresServer.SHOP_DB, "DROP PUBLICATION IF EXISTS " + slot);
    }

    private static void createStreamingCdc(String table, String slot) {
        HttpResponse<String> created = api.post("/api/connectors", Map.of("template", "postgres-cdc",
                "name", "slot-" + slot, "parameters", cdcParameters(table, slot, cdcPasswordReference(), "no_data")));
        assertEquals(201, created.statusCode(), created.body());
        awaitState("slot-" + slot, "RUNNING");
        Await.until("slot " + slot + " streaming", TIMEOUT, () -> slotActive(slot).orElse(false));
    }

    /** Whether the slot is active, or empty when it does not exist. */
    private static Optional<Boolean> slotActive(String slot) throws SQLException {
        try (Connection connection = postgres.connect(PostgresServer.SHOP_DB);
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT active FROM pg_replication_slots WHERE slot_name = '"
                        + slot + "'")) {
            return row.next() ? Optional.of(row.getBoolean(1)) : Optional.empty();
        }
    }

    /** Scrapes /prometheus until the slot's retained-WAL gauge satisfies {@code condition}; its value. */
    private static long awaitRetainedMetric(String connector, String slot, LongPredicate condition) {
        String series = "sluice_cdc_slot_retained_wal_bytes{";
        long[] last = {-1};
        String[] scraped = {""};
        try {
            Await.until(series + connector, TIMEOUT, () -> {
                // Prometheus text, which the API client's Accept: application/json would be refused.
                HttpResponse<String> metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        server.getURI().resolve("/prometheus")).GET().build(), HttpResponse.BodyHandlers.ofString());
                scraped[0] = metrics.statusCode() + " " + metrics.body().lines()
                        .filter(l -> l.startsWith("sluice_cdc_")).toList();
                for (String line : metrics.body().split("\n")) {
                    if (line.startsWith(series) && line.contains("connector=\"" + connector + "\"")
                            && line.contains("slot=\"" + slot + "\"")) {
                        last[0] = (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                        return condition.test(last[0]);
                    }
                }
                return false;
            });
        } catch (Await.AwaitTimeoutException e) {
            throw new AssertionError("retained WAL of " + slot + " not as expected; last scrape: " + scraped[0], e);
        }
        return last[0];
    }

    private static void createPublication(String publication, String table) throws SQLException {
        sql(PostgresServer.SHOP_DB, "CREATE PUBLICATION " + publication + " FOR TABLE public." + table
                + ", public.debezium_signal");
    }

    private static void sql(String database, String... statements) throws SQLException {
        try (Connection connection = postgres.connect(database); Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    private static int count(String database, String query) throws SQLException {
        try (Connection connection = postgres.connect(database); Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(query)) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
