package dev.sluice.devstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.sluice.devstack.generator.DataGenerator;
import dev.sluice.embedded.Await;
import dev.sluice.embedded.ChildJvm;
import dev.sluice.embedded.ConnectWorker;
import dev.sluice.embedded.EmbeddedPlatform;
import dev.sluice.embedded.EmbeddedPlatformExtension;
import dev.sluice.embedded.KafkaBroker;
import dev.sluice.embedded.Ports;
import dev.sluice.embedded.PostgresServer;
import dev.sluice.embedded.RegistryServer;
import dev.sluice.embedded.S3Server;
import dev.sluice.embedded.Secrets;

/**
 * The whole pipeline on the real platform with the demo connectors: the data generator changes PostgreSQL rows
 * (good and bad) and produces user events (good, bad, replayed); Debezium captures the rows and the JDBC source the
 * warehouse's rates and catalog into bronze; streams-app, as its own JVM from its build, validates, enriches and
 * aggregates. Every bronze record must end exactly once in a silver or dead-letter
 * topic (read with read_committed), and the gold topics must fill.
 */
@ExtendWith(EmbeddedPlatformExtension.class)
class PipelineEndToEndIT {

    private static final Path HOME = Path.of("").toAbsolutePath().getParent().getParent();
    private static final List<String> BRONZE = List.of("bronze.pg.customers", "bronze.pg.products",
            "bronze.pg.orders", "bronze.pg.order_items", "bronze.warehouse.exchange_rates",
            "bronze.warehouse.product_catalog", DemoConnectors.USER_EVENTS_TOPIC);
    private static final List<String> OUTPUTS = List.of("silver.customers", "silver.products", "silver.orders",
            "silver.order_lines", "silver.user_events", "silver.exchange_rates", "silver.product_catalog",
            "dlq.deserialize", "dlq.validate", "dlq.dedupe", "dlq.enrich", "dlq.aggregate", "dlq.process");
    private static final List<String> GOLD = List.of("gold.product_revenue_hourly", "gold.region_revenue_daily",
            "gold.customer_totals", "gold.user_sessions");
    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    @Test
    void generatedDataFlowsFromPostgresThroughCdcToSilverAndGoldAndTheCountsHold(EmbeddedPlatform platform,
            KafkaBroker kafka, ConnectWorker connect, RegistryServer registry, PostgresServer postgres, S3Server s3)
            throws Exception {
        Properties secrets = new Properties();
        secrets.setProperty("postgres.password", postgres.password());
        secrets.setProperty("s3.access.key", s3.accessKey());
        secrets.setProperty("s3.secret.key", s3.secretKey());
        Path secretsFile = platform.stateDir().resolve("secrets/e2e.properties");
        Secrets.writePrivate(secretsFile, secrets, "end-to-end test secrets");
        new DemoConnectors(connect.restUrl(), registry, postgres, s3, secretsFile).registerAll();
        kafka.createTopics(DemoConnectors.TOPIC_PARTITIONS, DemoConnectors.USER_EVENTS_TOPIC);

        try (ChildJvm app = startStreamsApp(platform.stateDir().resolve("e2e-streams-app"), kafka, registry)) {
            try (DataGenerator generator = DataGenerator.start(() -> postgres.connect(PostgresServer.SHOP_DB),
                    kafka.bootstrapServers(), registry.registryV2Url(), DemoConnectors.USER_EVENTS_TOPIC, 25, 25,
                    0.1)) {
                Await.until("generated changes and events", TIMEOUT,
                        () -> generator.shopChanges() >= 150 && generator.eventsSent() >= 150);
            }
            Map<String, Integer> bronze = settledBronze(kafka);
            assertTrue(bronze.keySet().stream().anyMatch(k -> k.startsWith("bronze.pg.order_items/")),
                    "CDC captured order lines");

            Map<String, Integer> landed = new TreeMap<>();
            Map<String, Integer> gold = new TreeMap<>();
            Map<String, Integer> routes = new TreeMap<>();
            try (KafkaConsumer<byte[], byte[]> consumer = consumer(kafka, "e2e-reader")) {
                List<String> topics = new ArrayList<>(OUTPUTS);
                topics.addAll(GOLD);
                consumer.subscribe(topics);
                Await.until("every bronze record in silver or a dead-letter topic", TIMEOUT, () -> {
                    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                        if (record.topic().startsWith("gold.")) {
                            gold.merge(record.topic(), 1, Integer::sum);
                            continue;
                        }
                        String source = source(record);
                        if (source != null && BRONZE.stream().anyMatch(t -> source.startsWith(t + "/"))) {
                            landed.merge(source, 1, Integer::sum);
                            routes.merge(source.substring(0, source.indexOf('/')) + " -> " + record.topic(), 1,
                                    Integer::sum);
                        }
                    }
                    return landed.keySet().containsAll(bronze.keySet()) && gold.keySet().containsAll(GOLD);
                }, app::isAlive);
            }
            System.out.println("pipeline routes (bronze topic -> output: records): " + routes);
            assertEquals(bronze, landed, "each bronze record exactly once in silver or a dead-letter topic");
            // The generator's bad share is 10%: most of what Debezium captured must pass validation, which proves
            // the rules and the decoding fit the connector's real output (decimals, timestamps, delete rewrites).
            for (String topic : BRONZE) {
                long total = bronze.keySet().stream().filter(k -> k.startsWith(topic + "/")).count();
                long silver = routes.entrySet().stream().filter(e -> e.getKey().startsWith(topic + " -> silver."))
                        .mapToLong(Map.Entry::getValue).sum();
                assertTrue(silver * 2 > total, topic + ": " + silver + " of " + total + " in silver; routes " + routes);
            }
            assertTrue(gold.keySet().containsAll(GOLD), "gold topics filled: " + gold);
        }
    }

    /** streams-app from its build, with a short early-arrival wait so that waiting orders settle quickly. */
    private static ChildJvm startStreamsApp(Path dir, KafkaBroker kafka, RegistryServer registry) throws IOException {
        int port = Ports.orFree(0);
        Path target = HOME.resolve("streams-app/target");
        List<Path> classpath = new ArrayList<>();
        classpath.add(target.resolve("classes"));
        Arrays.stream(Files.readString(target.resolve("runtime-classpath.txt")).trim().split(java.io.File.pathSeparator))
                .filter(entry -> !entry.isBlank()).map(Path::of).forEach(classpath::add);
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        env.put("SLUICE_HTTP_HOST", Ports.HOST);
        env.put("SLUICE_HTTP_PORT", Integer.toString(port));
        env.put("SLUICE_STATE_DIR", dir.resolve("state").toString());
        env.put("SLUICE_REGISTRY_URL", registry.registryV2Url());
        env.put("SLUICE_ENRICH_REFERENCE_WAIT", "3s");
        env.put("SLUICE_ENRICH_RETRY_INTERVAL", "500ms");
        ChildJvm jvm = ChildJvm.start("streams-app", classpath, "dev.sluice.app.Application",
                List.of("-Xmx512m", "-XX:+UseSerialGC"), List.of(), env, dir.resolve("streams-app.log"));
        HttpClient http = HttpClient.newHttpClient();
        jvm.awaitReady(TIMEOUT, () -> http.send(HttpRequest.newBuilder(URI.create("http://" + Ports.HOST + ":" + port
                + "/health")).timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode() == 200);
        return jvm;
    }

    /** Every bronze record (topic/partition/offset) once the topics stop growing. */
    private static Map<String, Integer> settledBronze(KafkaBroker kafka) {
        Map<TopicPartition, Long> last = new HashMap<>();
        Map<TopicPartition, Long> start = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(kafka, "e2e-offsets")) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : BRONZE) {
                for (PartitionInfo p : consumer.partitionsFor(topic)) {
                    partitions.add(new TopicPartition(topic, p.partition()));
                }
            }
            int[] stable = {0};
            Await.until("bronze topics settled", TIMEOUT, () -> {
                Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
                stable[0] = ends.equals(last) ? stable[0] + 1 : 0;
                last.clear();
                last.putAll(ends);
                return stable[0] >= 30;
            });
            start.putAll(consumer.beginningOffsets(partitions));
        }
        Map<String, Integer> records = new TreeMap<>();
        last.forEach((tp, end) -> {
            for (long offset = start.get(tp); offset < end; offset++) {
                records.put(tp.topic() + "/" + tp.partition() + "/" + offset, 1);
            }
        });
        return records;
    }

    /** Where a silver or dead-letter record came from: its lineage, or its dead-letter source headers. */
    private static String source(ConsumerRecord<byte[], byte[]> record) {
        String lineage = header(record, "sluice.lineage.source");
        if (lineage != null) {
            return lineage;
        }
        String topic = header(record, "sluice.source.topic");
        return topic == null ? null : topic + "/" + header(record, "sluice.source.partition") + "/"
                + header(record, "sluice.source.offset");
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static KafkaConsumer<byte[], byte[]> consumer(KafkaBroker kafka, String group) {
        Properties props = kafka.clientProperties();
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group + "-" + System.nanoTime());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }
}
