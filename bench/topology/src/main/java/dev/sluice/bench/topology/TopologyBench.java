package dev.sluice.bench.topology;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.sluice.app.aggregate.AggregateSettings;
import dev.sluice.app.dlq.Stage;
import dev.sluice.app.dlq.StreamsErrorHandling;
import dev.sluice.app.enrich.EnrichSettings;
import dev.sluice.app.kafka.BoundedRocksDbConfig;
import dev.sluice.app.kafka.TopicInitializer;
import dev.sluice.app.metrics.PipelineMetrics;
import dev.sluice.app.serde.RegistrySerdes;
import dev.sluice.app.serde.RegistrySettings;
import dev.sluice.app.silver.PiiSettings;
import dev.sluice.app.topology.PipelineTopics;
import dev.sluice.app.topology.SluiceTopology;
import dev.sluice.app.topology.TopologySettings;
import dev.sluice.app.validate.ValidationRules;
import dev.sluice.embedded.KafkaBroker;
import dev.sluice.embedded.RegistryServer;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.Environment;
import io.micronaut.core.naming.conventions.StringConvention;

/**
 * Records per second through the whole Sluice topology (bronze to silver, dead letters and gold, exactly-once,
 * RocksDB stores, the shipped validation rules, one stream thread: the service's defaults) against a plain
 * consume-produce passthrough of the same bronze records, on the same in-process broker with the same registry,
 * in the same run. Prints both and their ratio. Not a test: run it by hand ({@code -Dbench.records=N}).
 */
public final class TopologyBench {

    private static final Logger LOG = LoggerFactory.getLogger(TopologyBench.class);
    private static final Duration DRAIN_TIMEOUT = Duration.ofMinutes(15);
    /** The service's defaults (application.yml), overridable to see what they cost. */
    private static final String GUARANTEE = System.getProperty("bench.guarantee", StreamsConfig.EXACTLY_ONCE_V2);
    private static final String COMMIT_MS = System.getProperty("bench.commit.ms", "100");
    private static final String THREADS = System.getProperty("bench.threads", "1");

    private TopologyBench() {
    }

    /**
     * Runs the benchmark. System properties: {@code bench.records} (default 100000), and to compare against the
     * service's defaults {@code bench.guarantee}, {@code bench.threads}, {@code bench.commit.ms}.
     */
    public static void main(String[] args) throws Exception {
        int records = Integer.getInteger("bench.records", 100_000);
        Path dir = Files.createTempDirectory("sluice-bench-topology-");
        try (KafkaBroker kafka = KafkaBroker.start(dir.resolve("kafka"), 0, 0);
                RegistryServer registry = RegistryServer.start(dir.resolve("registry"), 0)) {
            PipelineTopics topics = new PipelineTopics();
            TopicInitializer.create(kafka.bootstrapServers(), topics);
            kafka.createTopics(topics.getPartitions(), "bench.passthrough");
            BenchData data = new BenchData(registry.registryV2Url(), topics, 42L);
            List<ProducerRecord<byte[], byte[]>> input = new ArrayList<>(data.reference());
            input.addAll(data.bulk(records));
            produce(kafka, input);
            LOG.info("bench input ready records={}", input.size());

            passthrough(kafka, topics.bronze(), input.size(), "bench-passthrough-warmup");
            double[] runs = new double[3];
            for (int i = 0; i < runs.length; i++) {
                runs[i] = passthrough(kafka, topics.bronze(), input.size(), "bench-passthrough-" + i);
            }
            Arrays.sort(runs);
            double passthrough = runs[1];
            double topology = topology(kafka, registry, topics, dir.resolve("state"), input.size());
            System.out.printf("%nSluice topology benchmark: %d bronze records, same broker, same run "
                    + "(%d cores, load average %.1f)%n", input.size(), Runtime.getRuntime().availableProcessors(),
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            System.out.printf("  passthrough (consume -> produce, median of 3) %,12.0f records/s%n", passthrough);
            System.out.printf("  topology (%s, %s thread(s), commit %s ms) %,12.0f records/s%n", GUARANTEE, THREADS,
                    COMMIT_MS, topology);
            System.out.printf("  ratio topology / passthrough          %12.3f%n", topology / passthrough);
        }
    }

    private static void produce(KafkaBroker kafka, List<ProducerRecord<byte[], byte[]>> records) {
        Properties props = kafka.clientProperties();
        props.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(64 * 1024));
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            records.forEach(producer::send);
            producer.flush();
        }
    }

    /**
     * A consumer and a producer in one loop, default client settings: the cost of moving the bytes. One warm-up
     * run, then the median of three, each a new consumer group reading everything from the start.
     */
    private static double passthrough(KafkaBroker kafka, List<String> topics, int expected, String group) {
        Properties consumerProps = kafka.clientProperties();
        consumerProps.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        consumerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProps, new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
                KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(kafka.clientProperties(),
                        new ByteArraySerializer(), new ByteArraySerializer())) {
            consumer.subscribe(topics);
            long start = 0;
            int seen = 0;
            while (seen < expected) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    if (start == 0) {
                        start = System.nanoTime();
                    }
                    producer.send(new ProducerRecord<>("bench.passthrough", null, record.timestamp(), record.key(),
                            record.value(), record.headers()));
                    seen++;
                }
            }
            producer.flush();
            consumer.commitSync();
            return rate(expected, System.nanoTime() - start);
        }
    }

    private static double topology(KafkaBroker kafka, RegistryServer registry, PipelineTopics topics, Path stateDir,
            int expected) throws Exception {
        PiiSettings pii = new PiiSettings();
        pii.setHashKey("bench");
        TopologySettings settings = new TopologySettings(topics, shippedRules(), pii, new EnrichSettings(),
                new AggregateSettings(), false);
        PipelineMetrics metrics = PipelineMetrics.inMemory();
        StreamsBuilder builder = new StreamsBuilder();
        new SluiceTopology(settings, new RegistrySerdes(new RegistrySettings(registry.url())), metrics).build(builder);
        String appId = "sluice-bench";
        Properties props = kafka.clientProperties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, appId);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, GUARANTEE);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, COMMIT_MS);
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, THREADS);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedRocksDbConfig.class);
        props.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
        props.putAll(StreamsErrorHandling.config(metrics));
        CountDownLatch running = new CountDownLatch(1);
        try (KafkaStreams streams = new KafkaStreams(builder.build(props), props);
                Admin admin = Admin.create(kafka.clientProperties())) {
            streams.setStateListener((now, before) -> {
                if (now == KafkaStreams.State.RUNNING) {
                    running.countDown();
                }
            });
            streams.start();
            if (!running.await(2, TimeUnit.MINUTES)) {
                throw new IllegalStateException("streams not RUNNING: " + streams.state());
            }
            long start = System.nanoTime();
            DrainProbe probe = new DrainProbe(admin, appId);
            List<String> silverInputs = List.of(topics.getSilverOrders(), topics.getSilverOrderLines(),
                    topics.getSilverUserEvents());
            long deadline = start + DRAIN_TIMEOUT.toNanos();
            long drainedAt = 0;
            int stableChecks = 0;
            while (stableChecks < 3) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("topology did not drain within " + DRAIN_TIMEOUT);
                }
                if (probe.drained(topics.bronze(), silverInputs)) {
                    drainedAt = stableChecks == 0 ? System.nanoTime() : drainedAt;
                    stableChecks++;
                } else {
                    stableChecks = 0;
                }
                Thread.sleep(200);
            }
            StringBuilder deadLetters = new StringBuilder();
            for (Stage stage : Stage.values()) {
                double count = metrics.sum(PipelineMetrics.DLQ, "stage", stage.id());
                if (count > 0) {
                    deadLetters.append(' ').append(stage.topic()).append('=').append((long) count);
                }
            }
            for (String aggregate : List.of("product-revenue-hourly", "region-revenue-daily", "user-sessions")) {
                deadLetters.append(String.format(" (late for %s: %d)", aggregate, (long) metrics.sum(PipelineMetrics.OUT,
                        "entity", aggregate, "outcome", "late")));
            }
            System.out.printf("  topology drained in %d ms; dead letters:%s%n", (drainedAt - start) / 1_000_000,
                    deadLetters);
            return rate(expected, drainedAt - start);
        }
    }

    private static ValidationRules shippedRules() {
        ApplicationContext context = ApplicationContext.builder().deduceEnvironment(false).build();
        Environment environment = context.getEnvironment().start();
        try {
            return ValidationRules.parse(environment.getProperties("sluice.validation", StringConvention.RAW));
        } finally {
            environment.stop();
        }
    }

    private static double rate(int records, long nanos) {
        return records / (nanos / 1e9);
    }
}
