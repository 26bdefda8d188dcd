package dev.sluice.app.dlq.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.sluice.app.dlq.DeadLetterHeaders;
import dev.sluice.app.kafka.PipelineTopics;
import dev.sluice.app.query.AppInstance;
import dev.sluice.app.serde.RegistrySerdes;
import dev.sluice.app.serde.RegistrySettings;
import dev.sluice.app.testing.BronzeRecords;
import dev.sluice.app.testing.BronzeSchemas;
import dev.sluice.embedded.Await;
import dev.sluice.embedded.EmbeddedPlatformExtension;
import dev.sluice.embedded.KafkaBroker;
import dev.sluice.embedded.RegistryServer;

/**
 * The redrive workflow on a running instance (real broker and registry), as an operator goes through it: customers
 * with a lower-case country break a rule and are dead-lettered; they are found by the browse filters (headers only
 * with the read token, the content with personal fields protected only with the API token); the rule is fixed and
 * the app restarted; a dry run counts them; a redrive turns the N dead letters into exactly N silver records, its
 * progress says so, and a second redrive (by filter or by coordinates) redrives nothing.
 */
@ExtendWith(EmbeddedPlatformExtension.class)
class RedriveIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String TOKEN = "redrive-it-api-token-0123456789";
    private static final String READ_TOKEN = "redrive-it-read-token-9876543210";
    private static final String APP_ID = "redrive-it";
    private static final PipelineTopics TOPICS = AppInstance.topics(APP_ID);
    private static final String RULE = "customers.country.pattern";
    private static final int GOOD = 2;
    private static final int INVALID = 4;
    private static final String EMAIL = "jane.doe@example.org";
    private static final AtomicLong LSN = new AtomicLong(1_000);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static AppInstance app;

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void invalidRecordsAreFoundFixedRedrivenOnceAndLandInSilverOnce(KafkaBroker kafka, RegistryServer registry)
            throws Exception {
        app = AppInstance.start(kafka, registry, APP_ID, settings(false));
        Set<Long> invalidIds = produceCustomers(kafka, registry);
        String filter = "?rule=" + RULE + "&source=" + TOPICS.getCustomers();
        Await.until("the invalid customers dead-lettered", TIMEOUT,
                () -> json(get("/api/dead-letters" + filter, READ_TOKEN)).get("items").size() == INVALID);
        assertEquals(GOOD, silverCustomers(kafka, registry).size(), "the valid ones in silver");

        // Find: the filters narrow, the pages follow each other, the content needs the API token.
        JsonNode found = json(get("/api/dead-letters" + filter, READ_TOKEN));
        List<String> coordinates = new ArrayList<>();
        for (JsonNode letter : found.get("items")) {
            assertEquals("validate", letter.get("stage").asText());
            assertEquals("VALIDATION_FAILED", letter.get("code").asText());
            assertEquals(TOPICS.getCustomers(), letter.get("sourceTopic").asText());
            assertFalse(letter.has("value") || letter.has("message"), letter.toString());
            coordinates.add(letter.get("coordinates").asText());
        }
        String source = "&source=" + TOPICS.getCustomers();
        assertEquals(INVALID, items("?stage=validate&code=VALIDATION_FAILED" + source).size());
        assertEquals(0, items("?stage=deserialize" + source).size(), "another stage");
        assertEquals(0, items("?rule=customers.email.pattern" + source).size(), "another rule");
        assertEquals(0, items("?rule=" + RULE + source + "&from=" + encode(Instant.now().plusSeconds(3600)))
                .size(), "dead-lettered before 'from'");
        assertEquals(INVALID, items("?rule=" + RULE + source + "&to=" + encode(Instant.now().plusSeconds(3600)))
                .size());
        JsonNode first = json(get("/api/dead-letters" + filter + "&limit=3", READ_TOKEN));
        assertEquals(3, first.get("items").size());
        JsonNode second = json(get("/api/dead-letters" + filter + "&limit=3&cursor="
                + encode(first.get("nextCursor").asText()), READ_TOKEN));
        Set<String> paged = new TreeSet<>();
        first.get("items").forEach(l -> paged.add(l.get("coordinates").asText()));
        second.get("items").forEach(l -> paged.add(l.get("coordinates").asText()));
        assertEquals(new TreeSet<>(coordinates), paged, "two pages, each dead letter once");
        assertEquals(400, get("/api/dead-letters?stage=nowhere", READ_TOKEN).statusCode());
        assertEquals(404, get("/api/dead-letters/" + TOPICS.getCustomers() + "/0/0", TOKEN).statusCode(),
                "only dead-letter topics are read");

        String one = "/api/dead-letters/" + coordinates.get(0);
        HttpResponse<String> withoutToken = get(one, READ_TOKEN);
        assertEquals(200, withoutToken.statusCode());
        JsonNode headersOnly = json(withoutToken);
        assertFalse(headersOnly.get("payloadShown").asBoolean());
        assertTrue(headersOnly.get("value").isNull() && headersOnly.get("message").isNull(), withoutToken.body());
        assertFalse(withoutToken.body().contains("example.org"), withoutToken.body());
        assertEquals(401, get(one, null).statusCode(), "reads need a token too when a read token is set");
        HttpResponse<String> withToken = get(one, TOKEN);
        JsonNode detail = json(withToken);
        assertTrue(detail.get("payloadShown").asBoolean());
        JsonNode value = detail.get("value").get("decoded");
        assertEquals("de", value.get("country").asText(), "decoded");
        assertNotEquals(EMAIL, value.get("email").asText());
        assertEquals(64, value.get("email").asText().length(), "hashed, as in silver: " + value);
        assertEquals("J*** D***", value.get("full_name").asText(), "masked, as in silver");
        assertFalse(withToken.body().contains("jane.doe"), withToken.body());
        assertTrue(detail.get("message").asText().contains(RULE), detail.get("message").asText());

        // Fix: the rule accepts lower case now; the app restarts with it and does not reprocess what it read.
        app.close();
        app = AppInstance.start(kafka, registry, APP_ID, settings(true));

        // Redrive: a dry run counts, a run redrives each dead letter once, only with the API token.
        String body = "{\"rule\":\"" + RULE + "\",\"source\":\"" + TOPICS.getCustomers() + "\"";
        assertEquals(401, post(body + "}", READ_TOKEN).statusCode());
        HttpResponse<String> dry = post(body + ",\"dryRun\":true}", TOKEN);
        assertEquals(200, dry.statusCode(), dry.body());
        assertEquals(INVALID, json(dry).get("replayed").asInt(), dry.body());
        assertEquals(GOOD, silverCustomers(kafka, registry).size(), "a dry run changes nothing");

        HttpResponse<String> started = post(body + "}", TOKEN);
        assertEquals(201, started.statusCode(), started.body());
        JsonNode run = json(started);
        assertEquals(INVALID, run.get("selected").asInt());
        assertEquals(INVALID, run.get("replayed").asInt());
        assertEquals(0, run.get("alreadyReplayed").asInt());
        String progress = "/api/dead-letters/replays/" + run.get("id").asText();
        Await.until("every redriven customer in silver", TIMEOUT,
                () -> json(get(progress, READ_TOKEN)).get("nowInSilver").asInt() == INVALID);
        JsonNode outcome = json(get(progress, READ_TOKEN));
        assertEquals(0, outcome.get("deadLetteredAgain").asInt(), outcome.toString());
        assertEquals(0, outcome.get("pending").asInt(), outcome.toString());

        Map<Long, List<ConsumerRecord<byte[], GenericRecord>>> silver = silverCustomers(kafka, registry);
        assertEquals(GOOD + INVALID, silver.size());
        for (long id : invalidIds) {
            List<ConsumerRecord<byte[], GenericRecord>> records = silver.get(id);
            assertNotNull(records, "customer " + id + " in silver");
            assertEquals(1, records.size(), "customer " + id + " once");
            assertEquals(run.get("id").asText(), text(records.get(0), DeadLetterHeaders.REPLAY_ID));
            assertTrue(coordinates.contains(text(records.get(0), DeadLetterHeaders.REPLAY_OF)));
            assertEquals("de", records.get(0).value().get("country").toString());
        }

        // Verify: a second redrive, by filter or by coordinates, is a no-op.
        JsonNode again = json(post(body + "}", TOKEN));
        assertEquals(0, again.get("replayed").asInt(), again.toString());
        assertEquals(INVALID, again.get("alreadyReplayed").asInt());
        JsonNode byCoordinates = json(post("{\"coordinates\":[\"" + coordinates.get(1) + "\"]}", TOKEN));
        assertEquals(0, byCoordinates.get("replayed").asInt(), byCoordinates.toString());
        assertEquals(1, byCoordinates.get("alreadyReplayed").asInt());
        assertEquals(0, json(post(body + ",\"dryRun\":true}", TOKEN)).get("replayed").asInt());
        assertEquals(0, json(get(progress, READ_TOKEN)).get("pending").asInt());
        assertEquals(GOOD + INVALID, silverCustomers(kafka, registry).size());
        assertTrue(silverCustomers(kafka, registry).values().stream().allMatch(r -> r.size() == 1),
                "no duplicates");
    }

    private static Map<String, Object> settings(boolean ruleFixed) {
        Map<String, Object> settings = new HashMap<>(AppInstance.settings(TOPICS));
        settings.put("sluice.api.token", TOKEN);
        settings.put("sluice.api.read-token", READ_TOKEN);
        if (ruleFixed) {
            // The rule lives in the customers' dataset specification: fixed there, as an operator would.
            Path customers = Path.of(settings.get("sluice.datasets.dir").toString(), "customers.yaml");
            try {
                String spec = Files.readString(customers);
                String fixed = spec.replace("^[A-Z]{2}$", "^[A-Za-z]{2}$");
                assertNotEquals(spec, fixed, "the country rule found in the specification");
                Files.writeString(customers, fixed);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return settings;
    }

    /** Good customers, and customers whose country breaks the rule; returns the ids of those. */
    private static Set<Long> produceCustomers(KafkaBroker kafka, RegistryServer registry) throws Exception {
        BronzeRecords bronze = new BronzeRecords(registry.registryV2Url());
        String topic = TOPICS.getCustomers();
        Instant now = Instant.now();
        Set<Long> invalid = new TreeSet<>();
        Properties props = kafka.clientProperties();
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (long id = 1; id <= GOOD + INVALID; id++) {
                boolean bad = id > GOOD;
                if (bad) {
                    invalid.add(id);
                }
                Map<String, Object> row = new HashMap<>(Map.of("id", id, "email", EMAIL, "full_name", "Jane Doe",
                        "region", "EMEA", "country", bad ? "de" : "DE", "created_at", now.minusSeconds(3600),
                        "updated_at", now.minusSeconds(3600)));
                row.putAll(Map.of("__op", "c", "__lsn", LSN.incrementAndGet(), "__source_ts_ms", now.toEpochMilli(),
                        "__deleted", "false"));
                producer.send(new ProducerRecord<>(topic, bronze.key(topic, BronzeSchemas.CUSTOMER_KEY, id),
                        bronze.value(topic, BronzeSchemas.CUSTOMER, row))).get();
            }
        }
        return invalid;
    }

    /** Every record of silver customers, by customer id. */
    private static Map<Long, List<ConsumerRecord<byte[], GenericRecord>>> silverCustomers(KafkaBroker kafka,
            RegistryServer registry) {
        Properties props = kafka.clientProperties();
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        Deserializer<Object> values = new RegistrySerdes(new RegistrySettings(registry.url()))
                .genericDeserializer(false);
        Map<Long, List<ConsumerRecord<byte[], GenericRecord>>> byId = new TreeMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(TOPICS.getSilverCustomers()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                assertTrue(System.nanoTime() < deadline, "silver read in time");
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    GenericRecord value = (GenericRecord) values.deserialize(r.topic(), r.headers(), r.value());
                    Long id = (Long) value.get("customer_id");
                    byId.computeIfAbsent(id, k -> new ArrayList<>()).add(new ConsumerRecord<>(
                            r.topic(), r.partition(), r.offset(), r.timestamp(), r.timestampType(),
                            r.serializedKeySize(), r.serializedValueSize(), r.key(), value, r.headers(),
                            r.leaderEpoch()));
                }
            }
        }
        return byId;
    }

    private static String text(ConsumerRecord<?, ?> record, String header) {
        return new String(record.headers().lastHeader(header).value(), StandardCharsets.UTF_8);
    }

    private static List<JsonNode> items(String query) {
        List<JsonNode> items = new ArrayList<>();
        json(get("/api/dead-letters" + query, READ_TOKEN)).get("items").forEach(items::add);
        return items;
    }

    private static String encode(Object value) {
        return URLEncoder.encode(value.toString(), StandardCharsets.UTF_8);
    }

    private static HttpResponse<String> get(String path, String token) {
        return send(HttpRequest.newBuilder(URI.create(app.url() + path)).GET(), token);
    }

    private static HttpResponse<String> post(String json, String token) {
        return send(HttpRequest.newBuilder(URI.create(app.url() + "/api/dead-letters/replays"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)), token);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request, String token) {
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            return HTTP.send(request.timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON (" + response.statusCode() + "): " + response.body(), e);
        }
    }
}
