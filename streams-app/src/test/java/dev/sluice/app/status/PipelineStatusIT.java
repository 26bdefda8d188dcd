package dev.sluice.app.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Future;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;

import dev.sluice.app.kafka.PipelineTopics;
import dev.sluice.app.query.AppInstance;
import dev.sluice.app.stores.StoreNames;
import dev.sluice.app.testing.BronzeRecords;
import dev.sluice.app.testing.BronzeSchemas;
import dev.sluice.connect.errors.ConvertOrDeadLetter;
import dev.sluice.embedded.Await;
import dev.sluice.embedded.EmbeddedPlatformExtension;
import dev.sluice.embedded.KafkaBroker;
import dev.sluice.embedded.RegistryServer;

/**
 * The status API and the probes on a running instance (real broker and registry) fed good, invalid and undecodable
 * user events, some carrying personal data: dead letters counted by reason exactly as the topics hold them, the
 * latest ones shown by their headers only (no key, no value, no message: the personal data appears nowhere),
 * consumer lag that drains to zero with every bronze record processed, the topology as a connected graph, the
 * instance and its store partitions, connectors reported unavailable without failing the answer, and Kafka
 * Streams, client and pipeline metrics at /prometheus.
 */
@ExtendWith(EmbeddedPlatformExtension.class)
class PipelineStatusIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String PII = "jane.doe@example.org";
    private static final int GOOD = 12;
    private static final int INVALID = 4;
    private static final int UNDECODABLE = 3;

    private static final PipelineTopics TOPICS = AppInstance.topics("status-it");

    private static AppInstance app;
    private static Set<String> deadLetterSources;
    /** Dead letters by reason before this test wrote any: other test classes share the dlq.* topics. */
    private static Map<String, Long> before;

    @BeforeAll
    static void start(KafkaBroker kafka, RegistryServer registry) throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        Map<String, Object> settings = new HashMap<>(AppInstance.settings(TOPICS));
        settings.put("sluice.connect.url", "http://127.0.0.1:" + closed);
        settings.put("sluice.connect.request-timeout", "2s");
        // The user events happen 48-60 s before they are produced: beyond this SLA, within the default one (5m).
        settings.put("sluice.freshness.sla.user_events", "10s");
        settings.put("sluice.datasets.dir", datasets(TOPICS).toString());
        app = AppInstance.start(kafka, registry, "status-it", settings);
        Await.until("dead letters of earlier tests counted", TIMEOUT,
                () -> app.json("/api/status/dead-letters").get("caughtUp").asBoolean());
        before = reasons(app.json("/api/status/dead-letters"));
        deadLetterSources = produce(kafka, registry, TOPICS);
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void deadLettersAreCountedByReasonAndShownWithoutTheirContent() {
        long earlier = before.values().stream().mapToLong(Long::longValue).sum();
        Await.until("every dead letter counted", TIMEOUT, () -> {
            JsonNode counts = app.json("/api/status/dead-letters");
            return counts.get("caughtUp").asBoolean()
                    && counts.get("total").asLong() == earlier + INVALID + UNDECODABLE + 1;
        });
        JsonNode counts = app.json("/api/status/dead-letters");
        Map<String, Long> added = reasons(counts);
        before.forEach((reason, count) -> added.merge(reason, -count, Long::sum));
        added.values().removeIf(count -> count == 0);
        assertEquals(Map.of("validate/VALIDATION_FAILED/user_events.event_type.allowed", (long) INVALID,
                "deserialize/DESERIALIZATION_FAILED/null", (long) UNDECODABLE,
                "source/SERIALIZATION_FAILED/null", 1L), added, "by stage, code and rule");
        long byStage = 0;
        for (JsonNode count : counts.get("byStage")) {
            byStage += count.asLong();
        }
        assertEquals(counts.get("total").asLong(), byStage, "stages add up");
        List<Long> ordered = new ArrayList<>();
        counts.get("reasons").forEach(reason -> ordered.add(reason.get("count").asLong()));
        assertEquals(ordered.stream().sorted(java.util.Comparator.reverseOrder()).toList(), ordered,
                "most frequent reason first");

        HttpResponse<String> recent = app.get("/api/status/dead-letters/recent?limit=100");
        assertEquals(200, recent.statusCode());
        assertFalse(recent.body().contains(PII), "no personal data: " + recent.body());
        Set<String> sources = new TreeSet<>();
        for (JsonNode letter : app.json("/api/status/dead-letters/recent?limit=100")) {
            if (!TOPICS.getUserEvents().equals(letter.get("sourceTopic").asText())) {
                continue;
            }
            sources.add(letter.get("sourceTopic").asText() + "/" + letter.get("sourcePartition").asInt() + "/"
                    + letter.get("sourceOffset").asLong());
            assertNotNull(letter.get("errorTime").textValue(), "when");
            assertFalse(letter.has("key") || letter.has("value") || letter.has("message"), letter.toString());
        }
        assertEquals(deadLetterSources, sources, "each dead letter once, pointing at its bronze record");
        assertEquals(2, app.json("/api/status/dead-letters/recent?limit=2").size());
    }

    @Test
    void eachDatasetsStatusCountsItsRecordsDeadLettersAndSilver() {
        Await.until("user events counted in their dataset", TIMEOUT, () -> {
            JsonNode status = app.json("/api/datasets/user_events").get("status");
            return status.get("recordsIn").asLong() == GOOD + INVALID + UNDECODABLE
                    && status.get("deadLetters").get("total").asLong() == INVALID + UNDECODABLE;
        });
        JsonNode dataset = app.json("/api/datasets/user_events");
        JsonNode status = dataset.get("status");
        assertEquals(GOOD, status.get("silverOut").asLong(), "the good events reached silver");
        Map<String, Long> byReason = new HashMap<>();
        status.get("deadLetters").get("reasons").forEach(r -> byReason.put(r.get("stage").asText() + "/"
                + r.get("code").asText() + "/" + r.get("rule").asText(), r.get("count").asLong()));
        assertEquals(Map.of("validate/VALIDATION_FAILED/user_events.event_type.allowed", (long) INVALID,
                "deserialize/DESERIALIZATION_FAILED/null", (long) UNDECODABLE), byReason,
                "only this dataset's dead letters, by rule; not the source connector's of another topic");
        assertEquals(TOPICS.getUserEvents(), dataset.get("spec").get("source").get("topic").asText());
        assertEquals("running", dataset.get("restart").get("state").asText());
        assertEquals("running", app.json("/api/status").get("datasets").get("state").asText());
        JsonNode customers = app.json("/api/datasets/customers").get("status");
        assertEquals(0, customers.get("deadLetters").get("total").asLong(), "no customer was dead-lettered here");
    }

    /**
     * A dataset directory holding the built-in specifications with this test's topic names, as the instance's
     * topology has them.
     */
    private static java.nio.file.Path datasets(PipelineTopics topics) throws java.io.IOException {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("status-it-datasets");
        String prefix = topics.getUserEvents().substring(0, topics.getUserEvents().indexOf("bronze."));
        for (Map.Entry<String, String> spec : dev.sluice.app.dataset.DatasetDirectory.builtIns().entrySet()) {
            java.nio.file.Files.writeString(dir.resolve(spec.getKey()), spec.getValue()
                    .replaceAll("(?m)^(\\s+topic: )(bronze|silver)\\.", "$1" + prefix + "$2."));
        }
        return dir;
    }

    @Test
    void lagDrainsAndCountsEveryBronzeRecordProcessed() {
        Await.until("bronze drained", TIMEOUT, () -> {
            JsonNode lag = app.json("/api/status/lag");
            return lag.get("error").isNull() && lag.get("processed").asLong() == GOOD + INVALID + UNDECODABLE;
        });
        JsonNode lag = app.json("/api/status/lag");
        assertEquals("status-it", lag.get("groupId").asText());
        Map<String, JsonNode> byTopic = new HashMap<>();
        lag.get("topics").forEach(topic -> byTopic.put(topic.get("topic").asText(), topic));
        for (String bronze : TOPICS.bronze()) {
            assertEquals("bronze", byTopic.get(bronze).get("kind").asText(), bronze);
        }
        assertEquals(0, byTopic.get(TOPICS.getUserEvents()).get("lag").asLong());
        assertEquals(List.of(), byTopic.keySet().stream().filter(topic -> topic.startsWith("silver.")).toList(),
                "gold takes silver records in memory: no silver topic is read back");
        assertEquals("internal", byTopic.get("status-it-aggregate.orders-by-region-repartition").get("kind")
                .asText());
    }

    @Test
    void theTopologyIsOneGraphOfSourcesProcessorsSinksStoresAndTopics() {
        JsonNode graph = app.json("/api/status/topology");
        Map<String, String> types = new HashMap<>();
        graph.get("nodes").forEach(node -> types.put(node.get("id").asText(), node.get("type").asText()));
        for (String store : List.of(StoreNames.PRODUCT_REVENUE_HOURLY, StoreNames.REGION_REVENUE_DAILY,
                StoreNames.CUSTOMER_TOTALS, StoreNames.USER_SESSIONS, StoreNames.CUSTOMERS_TABLE)) {
            assertEquals("store", types.get("store:" + store), store);
        }
        for (String topic : TOPICS.bronze()) {
            assertEquals("topic", types.get("topic:" + topic), topic);
        }
        assertEquals(Set.of("source", "processor", "sink", "store", "topic"), new TreeSet<>(types.values()));
        for (JsonNode edge : graph.get("edges")) {
            assertTrue(types.containsKey(edge.get("from").asText()) && types.containsKey(edge.get("to").asText()),
                    "edge between known nodes: " + edge);
        }
        assertTrue(reachable(graph, "topic:" + TOPICS.getOrders()).contains("store:" + StoreNames.CUSTOMER_TOTALS),
                "bronze orders lead to customer totals through silver");
    }

    @Test
    void theOverviewReportsEachPartEvenWhenConnectIsDown() {
        JsonNode status = app.json("/api/status");
        assertEquals("status-it", status.get("applicationId").asText());
        JsonNode self = status.get("instances").get(0);
        assertEquals(app.authority(), self.get("instance").asText());
        assertEquals("RUNNING", self.get("state").asText());
        assertEquals(List.of(0, 1, 2), ints(self.get("stores").get(StoreNames.CUSTOMER_TOTALS).get("active")),
                "a single instance serves every partition");
        assertFalse(status.get("connectors").get("available").asBoolean());
        assertTrue(status.get("connectors").get("error").asText().startsWith("Kafka Connect"),
                status.get("connectors").toString());
        assertFalse(status.get("compaction").get("enabled").asBoolean());
        assertEquals(1, app.json("/api/status/instances").size());
    }

    @Test
    void probesAndMetricsAreServed() {
        assertEquals(200, app.get("/health/liveness").statusCode());
        HttpResponse<String> ready = app.get("/health/readiness");
        assertEquals(200, ready.statusCode());
        assertTrue(ready.body().contains("kafkaStreamsReady"), ready.body());
        Await.until("pipeline counters exported", TIMEOUT, () -> app.get("/prometheus").body().lines()
                .anyMatch(line -> line.startsWith("sluice_records_in_total")));
        String metrics = app.get("/prometheus").body();
        for (String name : List.of("kafka_stream_thread_process_total", "kafka_consumer_fetch_manager_records_consumed_total",
                "kafka_producer_record_send_total", "sluice_records_in_total")) {
            assertTrue(metrics.lines().anyMatch(line -> line.startsWith(name)), name + " exported");
        }
    }

    @Test
    void freshnessIsMeasuredPerLayerAndDatasetAgainstItsSla() {
        Await.until("every user event measured at bronze and silver, sessions at gold", TIMEOUT, () -> {
            Map<String, JsonNode> entries = freshness(app.json("/api/status"));
            return entries.containsKey("user_events/bronze") && entries.containsKey("user_events/silver")
                    && entries.containsKey("user_sessions/gold")
                    && entries.get("user_events/bronze").get("count").asLong() == GOOD + INVALID
                    && entries.get("user_events/silver").get("count").asLong() == GOOD;
        });
        JsonNode status = app.json("/api/status");
        assertEquals(300, status.get("freshness").get("windowSeconds").asLong());
        Map<String, JsonNode> entries = freshness(status);
        for (String layer : List.of("bronze", "silver")) {
            JsonNode events = entries.get("user_events/" + layer);
            assertEquals(10.0, events.get("slaSeconds").asDouble(), "sluice.freshness.sla.user_events");
            assertEquals("BREACHED", events.get("sla").asText(), events.toString());
            assertTrue(events.get("p99Seconds").asDouble() >= 48, events.toString());
            assertTrue(events.get("p50Seconds").asDouble() <= events.get("p99Seconds").asDouble(), events.toString());
        }
        JsonNode sessions = entries.get("user_sessions/gold");
        assertEquals(300.0, sessions.get("slaSeconds").asDouble(), "the default SLA");
        assertEquals("MET", sessions.get("sla").asText(), sessions.toString());
        String metrics = app.get("/prometheus").body();
        assertTrue(metrics.lines().anyMatch(line -> line.startsWith("sluice_freshness_seconds_bucket{")
                && line.contains("dataset=\"user_events\"") && line.contains("layer=\"silver\"")
                && line.contains("le=\"300.0\"") && line.endsWith(" " + GOOD)), "histogram exported");
    }

    /** The freshness entries of a status answer by "dataset/layer". */
    private static Map<String, JsonNode> freshness(JsonNode status) {
        Map<String, JsonNode> entries = new HashMap<>();
        status.get("freshness").get("datasets").forEach(entry -> entries.put(entry.get("dataset").asText() + "/"
                + entry.get("layer").asText(), entry));
        return entries;
    }

    /** Dead letters by "stage/code/rule". */
    private static Map<String, Long> reasons(JsonNode counts) {
        Map<String, Long> reasons = new HashMap<>();
        counts.get("reasons").forEach(reason -> reasons.put(reason.get("stage").asText() + "/"
                + reason.get("code").asText() + "/" + reason.get("rule").asText(), reason.get("count").asLong()));
        return reasons;
    }

    private static Set<String> reachable(JsonNode graph, String from) {
        Map<String, List<String>> next = new HashMap<>();
        graph.get("edges").forEach(edge -> next.computeIfAbsent(edge.get("from").asText(), k -> new ArrayList<>())
                .add(edge.get("to").asText()));
        Set<String> seen = new TreeSet<>();
        List<String> todo = new ArrayList<>(List.of(from));
        while (!todo.isEmpty()) {
            String node = todo.remove(todo.size() - 1);
            if (seen.add(node)) {
                todo.addAll(next.getOrDefault(node, List.of()));
            }
        }
        return seen;
    }

    private static List<Integer> ints(JsonNode array) {
        List<Integer> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asInt()));
        return values;
    }

    /** Good, invalid and undecodable user events; returns topic/partition/offset of those to be dead-lettered. */
    private static Set<String> produce(KafkaBroker kafka, RegistryServer registry, PipelineTopics topics)
            throws Exception {
        BronzeRecords bronze = new BronzeRecords(registry.registryV2Url());
        String topic = topics.getUserEvents();
        Instant now = Instant.now();
        List<Future<RecordMetadata>> bad = new ArrayList<>();
        Properties props = kafka.clientProperties();
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (int i = 0; i < GOOD + INVALID; i++) {
                String user = "user-" + i % 5;
                boolean invalid = i >= GOOD;
                Map<String, Object> row = new HashMap<>(Map.of("event_id", "status-e" + i, "event_type",
                        invalid ? "teleport" : "page_view", "user_id", user, "page", "/account/" + PII,
                        "occurred_at", now.minusSeconds(60 - i)));
                Future<RecordMetadata> sent = producer.send(new ProducerRecord<>(topic,
                        user.getBytes(StandardCharsets.UTF_8), bronze.value(topic, BronzeSchemas.USER_EVENT, row)));
                if (invalid) {
                    bad.add(sent);
                }
            }
            producer.send(sourceDeadLetter()).get();
            for (int i = 0; i < UNDECODABLE; i++) {
                bad.add(producer.send(new ProducerRecord<>(topic, ("user-" + i).getBytes(StandardCharsets.UTF_8),
                        ("{\"email\":\"" + PII + "\"}").getBytes(StandardCharsets.UTF_8))));
            }
        }
        Set<String> sources = new TreeSet<>();
        for (Future<RecordMetadata> send : bad) {
            RecordMetadata m = send.get();
            sources.add(m.topic() + "/" + m.partition() + "/" + m.offset());
        }
        return sources;
    }

    /**
     * A dead letter of a source connector, made by the connectors' own transform from a row whose date the converter
     * rejects (as the JDBC source reads date 'infinity'), so that this test breaks when the two formats part.
     */
    private static ProducerRecord<byte[], byte[]> sourceDeadLetter() {
        org.apache.kafka.connect.data.Schema schema = org.apache.kafka.connect.data.SchemaBuilder.struct()
                .field("id", org.apache.kafka.connect.data.Schema.INT64_SCHEMA)
                .field("due", org.apache.kafka.connect.data.Date.SCHEMA).build();
        org.apache.kafka.connect.data.Struct row = new org.apache.kafka.connect.data.Struct(schema).put("id", 1L)
                .put("due", new java.util.Date(9223372036825200000L));
        try (ConvertOrDeadLetter<SourceRecord> transform = new ConvertOrDeadLetter<>()) {
            transform.configure(Map.of("converter", "org.apache.kafka.connect.json.JsonConverter",
                    "on.failure", "dead-letter"));
            SourceRecord letter = transform.apply(new SourceRecord(Map.of("table", "warehouse.public.t"),
                    Map.of("incrementing", 1L), "bronze.warehouse.t", null, null, schema, row));
            ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(letter.topic(), null,
                    (byte[]) letter.value());
            letter.headers().forEach(h -> record.headers().add(h.key(),
                    String.valueOf(h.value()).getBytes(StandardCharsets.UTF_8)));
            return record;
        }
    }
}
