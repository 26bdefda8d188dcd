package dev.sluice.app.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

import dev.sluice.app.aggregate.AggregateSettings;
import dev.sluice.app.dataset.DatasetDirectory;
import dev.sluice.app.dataset.DatasetSettings;
import dev.sluice.app.dataset.DatasetSpec;
import dev.sluice.app.dataset.DatasetSpecParser;
import dev.sluice.app.dlq.StreamsErrorHandling;
import dev.sluice.app.enrich.EnrichSettings;
import dev.sluice.app.failure.Stage;
import dev.sluice.app.kafka.PipelineTopics;
import dev.sluice.app.metrics.PipelineMetrics;
import dev.sluice.app.serde.RegistrySerdes;
import dev.sluice.app.serde.RegistrySettings;
import dev.sluice.app.silver.PiiAction;
import dev.sluice.app.silver.PiiSettings;
import dev.sluice.app.topology.SluiceTopology;
import dev.sluice.app.topology.TopologySettings;
import dev.sluice.app.tracing.Tracing;
import dev.sluice.app.validate.ValidationRules;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.simple.SimpleConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * The Sluice topology in a {@link TopologyTestDriver}, with the real validation rules and the service's serdes over
 * an {@link InMemorySchemaSource} (no registry process: the same wire format and schema cache, ids from a map), and
 * helpers to feed bronze rows and read silver, gold and dead-letter records. The wall clock starts at {@link #NOW}
 * and moves only when a test moves it. The topology against the real registry is run by the service's ITs
 * ({@code StreamsAppIT}, {@code RegistryOutageIT}).
 */
public final class PipelineDriver implements AutoCloseable {

    /** The driver's wall clock at start. */
    public static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
    /** The PII hash key of the tests. */
    public static final String HASH_KEY = "test-hash-key";

    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final TopologyTestDriver driver;
    private final PipelineTopics topics;
    private final InMemorySchemaSource schemas;
    private final RegistrySerdes serdes;
    private final PipelineMetrics metrics;
    private final BronzeRecords bronze;
    private final Topology topology;
    private final Map<String, TestInputTopic<byte[], byte[]>> inputs = new HashMap<>();
    private final Path stateDir;
    private final String applicationId;
    private long advanced;

    /** Everything a test may change before the topology is built. */
    public static final class Options {
        public final PipelineTopics topics = new PipelineTopics();
        public ValidationRules rules = TestConfig.rules();
        public final PiiSettings pii = new PiiSettings();
        public final EnrichSettings enrich = new EnrichSettings();
        public final AggregateSettings aggregate = new AggregateSettings();
        /**
         * Where the ids of the inputs and of the topology's schemas come from; give another driver's
         * {@link PipelineDriver#schemas()} to feed it that driver's records.
         */
        public InMemorySchemaSource schemas = new InMemorySchemaSource();
        /**
         * A registry URL for the topology's serdes instead of {@link #schemas} (inputs are still written with those):
         * to see the topology face a registry that cannot answer.
         */
        public String topologyRegistryUrl;
        /**
         * Record cache of the stores; 0 (the default here) forwards every change at once, as the service's caches do
         * only at a commit, which the driver makes after every record.
         */
        public long cacheMaxBytes;
        /** In-memory stores (the default here) or RocksDB, as in the service. */
        public boolean inMemoryStores = true;
        /** Off, as in the service by default; tracing tests give an SDK with an in-memory exporter. */
        public Tracing tracing = Tracing.disabled();
        /** The dataset specifications: the built-in ones (the shop's); a test may add its own. */
        public final List<DatasetSpec> datasets = new ArrayList<>(DatasetDirectory.builtIn(
                new DatasetSpecParser(DatasetSettings.DEFAULT_CDC_CONNECTOR)).values());

        Options() {
            pii.setHashKey(HASH_KEY);
            pii.setEmail(PiiAction.HASH);
            pii.setFullName(PiiAction.MASK);
        }
    }

    private PipelineDriver(Options options) {
        this.topics = options.topics;
        this.schemas = options.schemas;
        this.serdes = options.topologyRegistryUrl == null ? new RegistrySerdes(schemas, new RegistrySettings())
                : new RegistrySerdes(new RegistrySettings(options.topologyRegistryUrl));
        // The metrics' clock is the driver's wall clock: freshness measures against the time the test moves.
        this.metrics = new PipelineMetrics(new SimpleMeterRegistry(SimpleConfig.DEFAULT, new Clock() {
            @Override
            public long wallTime() {
                return now().toEpochMilli();
            }

            @Override
            public long monotonicTime() {
                return TimeUnit.MILLISECONDS.toNanos(wallTime());
            }
        }));
        this.bronze = new BronzeRecords(schemas);
        StreamsBuilder builder = new StreamsBuilder();
        TopologySettings settings = new TopologySettings(topics, options.rules, options.pii, options.enrich,
                options.aggregate, options.inMemoryStores, options.datasets);
        new SluiceTopology(settings, serdes, metrics, options.tracing).build(builder);
        this.topology = builder.build();
        try {
            this.stateDir = Files.createTempDirectory("sluice-ttd-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Properties props = new Properties();
        this.applicationId = "sluice-test-" + INSTANCES.incrementAndGet();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, options.cacheMaxBytes);
        props.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
        props.putAll(StreamsErrorHandling.config(metrics, java.time.Clock.systemUTC()));
        this.driver = new TopologyTestDriver(topology, props, NOW);
    }

    public static PipelineDriver start() {
        return start(options -> { });
    }

    public static PipelineDriver start(Consumer<Options> customize) {
        Options options = new Options();
        customize.accept(options);
        return new PipelineDriver(options);
    }

    public PipelineTopics topics() {
        return topics;
    }

    public PipelineMetrics metrics() {
        return metrics;
    }

    public Topology topology() {
        return topology;
    }

    public TopologyTestDriver driver() {
        return driver;
    }

    public BronzeRecords bronze() {
        return bronze;
    }

    /** The ids of this driver's records. */
    public InMemorySchemaSource schemas() {
        return schemas;
    }

    // ---- input -------------------------------------------------------------------------------------------------

    /** Pipes a raw record into {@code topic} with the wall clock as timestamp. */
    public void send(String topic, byte[] key, byte[] value) {
        send(topic, key, value, new RecordHeaders(), now());
    }

    public void send(String topic, byte[] key, byte[] value, Headers headers, Instant timestamp) {
        inputs.computeIfAbsent(topic, t -> driver.createInputTopic(t, new ByteArraySerializer(),
                new ByteArraySerializer())).pipeInput(new TestRecord<>(key, value, headers, timestamp));
    }

    /** The bronze topic, key schema and value schema of each entity named in the validation rules. */
    public record Entity(String topic, Schema keySchema, Schema valueSchema, List<String> keyFields) {
    }

    public Entity entity(String name) {
        return switch (name) {
            case "customers" -> new Entity(topics.getCustomers(), BronzeSchemas.CUSTOMER_KEY, BronzeSchemas.CUSTOMER,
                    List.of("id"));
            case "products" -> new Entity(topics.getProducts(), BronzeSchemas.PRODUCT_KEY, BronzeSchemas.PRODUCT,
                    List.of("id"));
            case "orders" -> new Entity(topics.getOrders(), BronzeSchemas.ORDER_KEY, BronzeSchemas.ORDER, List.of("id"));
            case "order_items" -> new Entity(topics.getOrderItems(), BronzeSchemas.ORDER_ITEM_KEY,
                    BronzeSchemas.ORDER_ITEM, List.of("order_id", "line_no"));
            case "exchange_rates" -> new Entity(topics.getExchangeRates(), BronzeSchemas.RATE_KEY, BronzeSchemas.RATE,
                    List.of("id"));
            case "product_catalog" -> new Entity(topics.getProductCatalog(), BronzeSchemas.CATALOG_KEY,
                    BronzeSchemas.CATALOG, List.of("id"));
            case "user_events" -> new Entity(topics.getUserEvents(), null, BronzeSchemas.USER_EVENT, List.of());
            default -> throw new IllegalArgumentException("unknown entity " + name);
        };
    }

    /**
     * Pipes {@code row} of {@code entity} written with {@code valueSchema}; the key is {@code key} for user events
     * (a string) and an Avro key record of the values in {@code key} otherwise.
     */
    public void row(String entity, Schema valueSchema, Map<String, Object> row, Object... key) {
        Entity e = entity(entity);
        byte[] keyBytes = e.keySchema() == null ? String.valueOf(key[0]).getBytes(StandardCharsets.UTF_8)
                : bronze.key(e.topic(), e.keySchema(), key);
        send(e.topic(), keyBytes, bronze.value(e.topic(), valueSchema, row));
    }

    public void customer(Map<String, Object> row) {
        cdc(topics.getCustomers(), BronzeSchemas.CUSTOMER_KEY, BronzeSchemas.CUSTOMER, row, row.get("id"));
    }

    public void product(Map<String, Object> row) {
        cdc(topics.getProducts(), BronzeSchemas.PRODUCT_KEY, BronzeSchemas.PRODUCT, row, row.get("id"));
    }

    public void order(Map<String, Object> row) {
        cdc(topics.getOrders(), BronzeSchemas.ORDER_KEY, BronzeSchemas.ORDER, row, row.get("id"));
    }

    public void item(Map<String, Object> row) {
        cdc(topics.getOrderItems(), BronzeSchemas.ORDER_ITEM_KEY, BronzeSchemas.ORDER_ITEM, row, row.get("order_id"),
                row.get("line_no"));
    }

    public void rate(Map<String, Object> row) {
        cdc(topics.getExchangeRates(), BronzeSchemas.RATE_KEY, BronzeSchemas.RATE, row, row.get("id"));
    }

    public void catalog(Map<String, Object> row) {
        cdc(topics.getProductCatalog(), BronzeSchemas.CATALOG_KEY, BronzeSchemas.CATALOG, row, row.get("id"));
    }

    public void userEvent(Map<String, Object> row) {
        userEvent(String.valueOf(row.get("user_id")), row);
    }

    public void userEvent(String key, Map<String, Object> row) {
        send(topics.getUserEvents(), key.getBytes(StandardCharsets.UTF_8),
                bronze.value(topics.getUserEvents(), BronzeSchemas.USER_EVENT, row));
    }

    /** A Kafka tombstone of a CDC row with the given key values. */
    public void tombstone(String topic, Schema keySchema, Object... keyValues) {
        send(topic, bronze.key(topic, keySchema, keyValues), null);
    }

    private void cdc(String topic, Schema keySchema, Schema valueSchema, Map<String, Object> row, Object... key) {
        send(topic, bronze.key(topic, keySchema, key), bronze.value(topic, valueSchema, row));
    }

    // ---- output ------------------------------------------------------------------------------------------------

    /** Drains the silver or gold records of {@code topic}, values decoded into {@code type} (null: tombstone). */
    public <V extends SpecificRecord> List<Out<String, V>> read(String topic, Class<V> type) {
        Deserializer<V> values = serdes.specific(type).deserializer();
        TestOutputTopic<String, byte[]> output = driver.createOutputTopic(topic, new StringDeserializer(),
                new ByteArrayDeserializer());
        List<Out<String, V>> out = new ArrayList<>();
        for (TestRecord<String, byte[]> record : output.readRecordsToList()) {
            V value = record.value() == null ? null : values.deserialize(topic, record.headers(), record.value());
            out.add(new Out<>(record.key(), value, record.headers(), record.timestamp()));
        }
        return out;
    }

    /** Drains the records of {@code topic} written with schemas of their own (a dataset's silver topic). */
    public List<Out<String, GenericRecord>> readGeneric(String topic) {
        Deserializer<GenericRecord> values = serdes.genericRecords().deserializer();
        TestOutputTopic<String, byte[]> output = driver.createOutputTopic(topic, new StringDeserializer(),
                new ByteArrayDeserializer());
        List<Out<String, GenericRecord>> out = new ArrayList<>();
        for (TestRecord<String, byte[]> record : output.readRecordsToList()) {
            GenericRecord value = record.value() == null ? null
                    : values.deserialize(topic, record.headers(), record.value());
            out.add(new Out<>(record.key(), value, record.headers(), record.timestamp()));
        }
        return out;
    }

    /** A silver or gold value (a dead letter's bytes, say) decoded into {@code type} as the topology's serde does. */
    public <V extends SpecificRecord> V decode(Class<V> type, byte[] value) {
        return serdes.specific(type).deserializer().deserialize("", value);
    }

    /** Drains the dead-letter records of {@code stage}, bytes as they are. */
    public List<Out<byte[], byte[]>> deadLetters(Stage stage) {
        TestOutputTopic<byte[], byte[]> output = driver.createOutputTopic(stage.topic(), new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        return output.readRecordsToList().stream()
                .map(r -> new Out<>(r.key(), r.value(), r.headers(), r.timestamp()))
                .toList();
    }

    /** Drains what the changelog of {@code store} received, keys as strings (a null value is a tombstone). */
    public List<TestRecord<String, byte[]>> changelog(String store) {
        return driver.createOutputTopic(applicationId + "-" + store + "-changelog", new StringDeserializer(),
                new ByteArrayDeserializer()).readRecordsToList();
    }

    /** Whether any record waits unread in {@code topic}. */
    public boolean isEmpty(String topic) {
        return driver.createOutputTopic(topic, new ByteArrayDeserializer(), new ByteArrayDeserializer()).isEmpty();
    }

    // ---- time and state ----------------------------------------------------------------------------------------

    public Instant now() {
        return NOW.plusMillis(advanced);
    }

    /** Moves the wall clock, which fires wall-clock punctuations (the enrichment's retries). */
    public void advanceWallClock(Duration duration) {
        advanced += duration.toMillis();
        driver.advanceWallClockTime(duration);
    }

    @Override
    public void close() {
        driver.close();
        try (var files = Files.walk(stateDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
