package dev.sluice.app.topology;

import static dev.sluice.app.freshness.FreshnessMetrics.datasetOf;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.StringJoiner;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;

import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.kstream.SessionWindows;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.kstream.Windowed;

import dev.sluice.app.aggregate.AggregateInputProcessor;
import dev.sluice.app.aggregate.AggregateSettings;
import dev.sluice.app.aggregate.Aggregations;
import dev.sluice.app.aggregate.GoldKeys;
import dev.sluice.app.aggregate.GoldLineageProcessor;
import dev.sluice.app.aggregate.LateEventGate;
import dev.sluice.app.aggregate.Lateness;
import dev.sluice.app.aggregate.SessionRetractions;
import dev.sluice.app.dataset.DatasetSpec;
import dev.sluice.app.dataset.pipeline.DatasetSilverMapping;
import dev.sluice.app.dataset.pipeline.SilverSchemaGate;
import dev.sluice.app.dataset.pipeline.SilverSchemas;
import dev.sluice.app.enrich.EnrichedOutput;
import dev.sluice.app.enrich.OrderEnricher;
import dev.sluice.app.enrich.ReferenceChanges;
import dev.sluice.app.enrich.ReferenceTableLoader;
import dev.sluice.app.enrich.ReferenceTables;
import dev.sluice.app.freshness.FreshnessProbe;
import dev.sluice.app.freshness.Layer;
import dev.sluice.app.ingest.DeadLetterProcessor;
import dev.sluice.app.ingest.DeadLetterTopic;
import dev.sluice.app.ingest.DecodeProcessor;
import dev.sluice.app.ingest.Decoded;
import dev.sluice.app.ingest.DedupeProcessor;
import dev.sluice.app.ingest.KeyFormat;
import dev.sluice.app.ingest.Staged;
import dev.sluice.app.ingest.ValidateProcessor;
import dev.sluice.app.kafka.PipelineTopics;
import dev.sluice.app.metrics.PipelineMetrics;
import dev.sluice.app.placement.KeyPlacement;
import dev.sluice.app.placement.KeyPlacementCheck;
import dev.sluice.app.serde.InternalSerde;
import dev.sluice.app.serde.RegistrySerdes;
import dev.sluice.app.serde.SpecificCopy;
import dev.sluice.app.silver.PiiPolicy;
import dev.sluice.app.silver.SilverMapping;
import dev.sluice.app.silver.SilverMappings;
import dev.sluice.app.silver.ToSilverProcessor;
import dev.sluice.app.silver.ToSilverValueProcessor;
import dev.sluice.app.stores.StoreNames;
import dev.sluice.app.tracing.Tracing;
import dev.sluice.app.validate.EntityRules;
import dev.sluice.app.validate.FieldValues;
import dev.sluice.schemas.gold.CustomerTotals;
import dev.sluice.schemas.gold.ProductRevenueHourly;
import dev.sluice.schemas.gold.RegionRevenueDaily;
import dev.sluice.schemas.gold.UserSession;
import dev.sluice.schemas.internal.Order;
import dev.sluice.schemas.internal.OrderEvent;
import dev.sluice.schemas.internal.PendingEvents;
import dev.sluice.schemas.silver.CleanUserEvent;
import dev.sluice.schemas.silver.Customer;
import dev.sluice.schemas.silver.EnrichedOrder;
import dev.sluice.schemas.silver.EnrichedOrderLine;
import dev.sluice.schemas.silver.ExchangeRate;
import dev.sluice.schemas.silver.Product;

/**
 * Builds the Sluice topology onto a {@link StreamsBuilder}. Pure construction, no runtime wiring: the app's
 * {@link TopologyFactory}, the TopologyTestDriver tests and the benchmark call the same method.
 *
 * <pre>
 * bronze.* (bytes) ─ deserialize ─ validate ─ dedupe ─┬─ enrich: map + PII + lineage ─ silver.customers/products/... ─┐
 *                                                     │                                   (global reference tables) &lt;─┘
 *                                                     ├─ orders + order_items ─ enrich (join) ─┬─ silver.orders / silver.order_lines
 *                                                     │   (on the order's partition, else     │
 *                                                     │    rerouted there)  (the same records, in memory) ─┘
 *                                                     └─ failures ─ dlq.&lt;stage&gt;
 * enriched lines ─ select ─ dedupe ─ by product ─ late gate ─ hourly windows ─ gold.product_revenue_hourly
 * enriched orders ─ select ─ dedupe ─ by region ─ late gate ─┬─ daily windows ─ gold.region_revenue_daily
 *                                                            └─ by customer ─ running totals ─ gold.customer_totals
 * clean user events (in memory, on the user's partition) ─ late gate ─ session windows ─ gold.user_sessions
 * </pre>
 *
 * Every processor is named {@code <stage>.<what>} so that Kafka Streams' exception handlers can attribute a failure
 * to its stage's dead-letter topic.
 *
 * <p>Freshness: the deserialize stage measures bronze, the silver mapping stamps the bronze record's source time on
 * as a header that the records made from it keep, and a probe right before each silver and gold sink measures that
 * layer ({@link FreshnessProbe}); the dataset is the topic name's last dot-separated part.
 */
public final class SluiceTopology {

    private static final String ORDERS = "orders";
    private static final String ORDER_ITEMS = "order_items";
    private static final String USER_EVENTS = "user_events";

    private final TopologySettings settings;
    private final PipelineTopics topics;
    private final RegistrySerdes registry;
    private final PipelineMetrics metrics;
    private final StateStores stores;
    private final Tracing tracing;
    /** Shared by the reference loaders (global thread) and the order enrichers (stream threads) of this topology. */
    private final ReferenceChanges referenceChanges = new ReferenceChanges();

    /** The topology without tracing (the benchmark's). */
    public SluiceTopology(TopologySettings settings, RegistrySerdes registry, PipelineMetrics metrics) {
        this(settings, registry, metrics, Tracing.disabled());
    }

    /** The topology with a span per stage when {@code tracing} is enabled (docs/operations.md "Tracing"). */
    public SluiceTopology(TopologySettings settings, RegistrySerdes registry, PipelineMetrics metrics,
            Tracing tracing) {
        this.tracing = tracing;
        this.settings = settings;
        this.topics = settings.topics();
        this.registry = registry;
        this.metrics = metrics;
        this.stores = new StateStores(settings.inMemoryStores());
    }

    /**
     * Adds the topology to {@code builder} and returns the user-events source (Micronaut wants a stream bean). The
     * writer schemas of the silver and gold topics are registered here, before any record is processed (if the
     * registry is down now, each registers on its first write instead).
     */
    public KStream<byte[], byte[]> build(StreamsBuilder builder) {
        registry.registerWriters(outputSchemas());
        addReferenceTables(builder);
        PiiPolicy pii = new PiiPolicy(settings.pii());
        KStream<byte[], byte[]> userEvents = null;
        KStream<byte[], GenericRecord> cleanEvents = null;
        for (DatasetSpec dataset : settings.datasets()) {
            KStream<byte[], byte[]> raw = builder.stream(dataset.source().topic(), Consumed.with(Serdes.ByteArray(),
                    Serdes.ByteArray()).withName("deserialize.source-" + dataset.name()));
            KStream<byte[], GenericRecord> keptKeys = datasetToSilver(builder, raw, dataset, pii);
            if (dataset.name().equals(USER_EVENTS)) {
                userEvents = raw;
                cleanEvents = keptKeys;
            }
        }
        if (cleanEvents == null) {
            throw new IllegalStateException("the user sessions (" + topics.getGoldUserSessions() + ") take the clean "
                    + "events of dataset " + USER_EVENTS + ", which must be specified with source.key-format string "
                    + "and no key (docs/datasets.md)");
        }
        enrichOrders(builder);
        SpecificCopy<CleanUserEvent> asEvent = new SpecificCopy<>(CleanUserEvent.class);
        aggregateSessions(builder, cleanEvents.mapValues(asEvent::apply, Named.as("aggregate.read-" + USER_EVENTS)));
        return userEvents;
    }

    /**
     * The generic silver pipeline of one dataset: deserialize, validate, dedupe, the silver schema's check, then the
     * mapping (PII, lineage) to its silver topic, every failure to its stage's dead-letter topic. Returns the silver
     * stream when the dataset keeps its bronze key bytes (no key fields), else null.
     */
    private KStream<byte[], GenericRecord> datasetToSilver(StreamsBuilder builder, KStream<byte[], byte[]> raw,
            DatasetSpec dataset, PiiPolicy pii) {
        String name = dataset.name();
        SilverSchemas schemas = new SilverSchemas(dataset, dataset.rules(), registry.cache(), metrics);
        KStream<byte[], Staged<Decoded>> valid = divertFailures(
                stages(builder, raw, name, dataset.source().keyFormat(), settings.rulesOf(dataset))
                        .processValues(() -> new SilverSchemaGate(name, schemas, metrics),
                                Named.as("enrich.schema-" + name)),
                "enrich.route-" + name + "-");
        DatasetSilverMapping mapping = new DatasetSilverMapping(dataset.key(), schemas, pii);
        String topic = dataset.silver().topic();
        if (!dataset.key().isEmpty()) {
            toSilver(valid, name, mapping, topic, registry.genericRecords());
            return null;
        }
        // Keyed by the bronze key bytes as they came, which are the silver key's bytes: a keyed stage behind (the
        // sessions) needs no repartition (a key-changing step would make Kafka Streams insert one).
        KStream<byte[], GenericRecord> silver = valid.processValues(() -> new ToSilverValueProcessor<>(name, mapping,
                metrics, tracing), Named.as("enrich.silver-" + name));
        silver.processValues(() -> new FreshnessProbe<byte[], GenericRecord>(Layer.SILVER, datasetOf(topic),
                        metrics.freshness()), Named.as("enrich.freshness-" + name))
                .to(topic, Produced.with(Serdes.ByteArray(), registry.genericRecords())
                        .withName("enrich.sink-" + topic));
        return silver;
    }

    /** The class written to each silver and gold topic the datasets do not write (theirs derive their schemas). */
    private Map<String, Class<? extends SpecificRecord>> outputSchemas() {
        Map<String, Class<? extends SpecificRecord>> outputs = new LinkedHashMap<>();
        outputs.put(topics.getSilverOrders(), EnrichedOrder.class);
        outputs.put(topics.getSilverOrderLines(), EnrichedOrderLine.class);
        outputs.put(topics.getGoldProductRevenueHourly(), ProductRevenueHourly.class);
        outputs.put(topics.getGoldRegionRevenueDaily(), RegionRevenueDaily.class);
        outputs.put(topics.getGoldCustomerTotals(), CustomerTotals.class);
        outputs.put(topics.getGoldUserSessions(), UserSession.class);
        return outputs;
    }

    // ---- bronze to silver --------------------------------------------------------------------------------------

    private KStream<byte[], Staged<Decoded>> ingest(StreamsBuilder builder, String entity, String topic,
            KeyFormat keyFormat) {
        KStream<byte[], byte[]> raw = builder.stream(topic,
                Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("deserialize.source-" + entity));
        return stages(builder, raw, entity, keyFormat, settings.rules().of(entity));
    }

    /** Stages deserialize, validate and dedupe of one bronze entity; failures go to their dead-letter topics. */
    private KStream<byte[], Staged<Decoded>> stages(StreamsBuilder builder, KStream<byte[], byte[]> raw,
            String entity, KeyFormat keyFormat, EntityRules rules) {
        Deserializer<Object> keys = keyFormat == KeyFormat.AVRO ? registry.genericDeserializer(true) : null;
        Deserializer<Object> values = registry.genericDeserializer(false);
        KStream<byte[], Staged<Decoded>> staged = raw
                .processValues(() -> new DecodeProcessor(entity, keyFormat, keys, values, metrics, tracing),
                        Named.as("deserialize." + entity))
                .processValues(() -> new ValidateProcessor(rules, metrics, tracing), Named.as("validate." + entity));
        if (rules.deduplicates()) {
            String store = StoreNames.dedupe(entity);
            builder.addStateStore(stores.windowStore(store, DedupeProcessor.retention(rules.dedupeWindow()),
                    rules.dedupeWindow(), Serdes.String(), Serdes.Long()));
            List<String> fields = rules.dedupeKey();
            Function<Decoded, String> identity = decoded -> identity(decoded.value(), fields);
            staged = staged.processValues(() -> new DedupeProcessor<>(entity, store, rules.dedupeWindow(), identity,
                    metrics, tracing), Named.as("dedupe." + entity), store);
        }
        return divertFailures(staged, "dedupe.route-" + entity + "-");
    }

    /** The identity of a change or event from its configured fields; none for a tombstone (never a replay). */
    private static String identity(GenericRecord value, List<String> fields) {
        if (value == null) {
            return null;
        }
        StringJoiner id = new StringJoiner("|");
        for (String field : fields) {
            id.add(String.valueOf(FieldValues.get(value, field)));
        }
        return id.toString();
    }

    /** Sends failed records to {@code dlq.<stage>} and returns the others. */
    private <K, T> KStream<K, Staged<T>> divertFailures(KStream<K, Staged<T>> staged, String splitName) {
        return divertFailures(staged, splitName, null);
    }

    /**
     * Sends failed records to {@code dlq.<stage>} and returns the others; {@code handedOverFrom}, when not null, is
     * the topic named as their source (see {@link DeadLetterProcessor}).
     */
    private <K, T> KStream<K, Staged<T>> divertFailures(KStream<K, Staged<T>> staged, String splitName,
            String handedOverFrom) {
        Map<String, KStream<K, Staged<T>>> branches = staged.split(Named.as(splitName))
                .branch((key, value) -> value.failed(), Branched.as("failed"))
                .defaultBranch(Branched.as("ok"));
        branches.get(splitName + "failed")
                .process(() -> new DeadLetterProcessor<K, T>(metrics, handedOverFrom),
                        Named.as(splitName + "dead-letter"))
                .to(new DeadLetterTopic(), Produced.with(Serdes.ByteArray(), Serdes.ByteArray())
                        .withName(splitName + "dlq-sink"));
        return branches.get(splitName + "ok");
    }

    private <V> void toSilver(KStream<byte[], Staged<Decoded>> valid, String entity, SilverMapping<V> mapping,
            String topic, Serde<V> serde) {
        valid.process(() -> new ToSilverProcessor<>(entity, mapping, decoded -> null, metrics, tracing),
                        Named.as("enrich.silver-" + entity))
                .processValues(() -> new FreshnessProbe<String, V>(Layer.SILVER, datasetOf(topic), metrics.freshness()),
                        Named.as("enrich.freshness-" + entity))
                .to(topic, Produced.with(Serdes.String(), serde).withName("enrich.sink-" + topic));
    }

    private void addReferenceTables(StreamsBuilder builder) {
        builder.addGlobalStore(StateStores.globalKeyValueStore(StoreNames.CUSTOMERS_TABLE, Serdes.Long(),
                        InternalSerde.of(Customer.class)), topics.getSilverCustomers(),
                Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("enrich.source-customers-table"),
                () -> new ReferenceTableLoader<>(StoreNames.CUSTOMERS_TABLE, StoreNames.CUSTOMERS_TABLE,
                        registry.specific(Customer.class).deserializer(), ReferenceTables.CUSTOMERS, metrics,
                        referenceChanges));
        builder.addGlobalStore(StateStores.globalKeyValueStore(StoreNames.PRODUCTS_TABLE, Serdes.Long(),
                        InternalSerde.of(Product.class)), topics.getSilverProducts(),
                Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("enrich.source-products-table"),
                () -> new ReferenceTableLoader<>(StoreNames.PRODUCTS_TABLE, StoreNames.PRODUCTS_TABLE,
                        registry.specific(Product.class).deserializer(), ReferenceTables.PRODUCTS, metrics,
                        referenceChanges));
        builder.addGlobalStore(StateStores.globalKeyValueStore(StoreNames.RATES_TABLE, Serdes.String(),
                        InternalSerde.of(ExchangeRate.class)), topics.getSilverExchangeRates(),
                Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("enrich.source-exchange-rates-table"),
                () -> new ReferenceTableLoader<>(StoreNames.RATES_TABLE, StoreNames.RATES_TABLE,
                        registry.specific(ExchangeRate.class).deserializer(), ReferenceTables.RATES, metrics,
                        referenceChanges));
    }

    private void enrichOrders(StreamsBuilder builder) {
        KStream<String, OrderEvent> orders = ingest(builder, ORDERS, topics.getOrders(), KeyFormat.AVRO)
                .process(() -> new ToSilverProcessor<>(ORDERS, SilverMappings.orders(), SilverMappings::orderTombstone,
                        metrics, tracing), Named.as("enrich.map-" + ORDERS));
        KStream<String, OrderEvent> items = ingest(builder, ORDER_ITEMS, topics.getOrderItems(), KeyFormat.AVRO)
                .process(() -> new ToSilverProcessor<>(ORDER_ITEMS, SilverMappings.orderItems(),
                        SilverMappings::itemTombstone, metrics, tracing), Named.as("enrich.map-" + ORDER_ITEMS));
        builder.addStateStore(stores.uncachedTimestampedKeyValueStore(StoreNames.ORDERS_STATE, Serdes.String(),
                InternalSerde.of(Order.class)));
        builder.addStateStore(stores.keyValueStore(StoreNames.PENDING_ORDERS, Serdes.String(),
                InternalSerde.of(PendingEvents.class)));
        builder.addStateStore(stores.keyValueStore(StoreNames.PENDING_LINES, Serdes.String(),
                InternalSerde.of(PendingEvents.class)));
        Serde<EnrichedOrder> orderSerde = registry.specific(EnrichedOrder.class);
        Serde<EnrichedOrderLine> lineSerde = registry.specific(EnrichedOrderLine.class);
        Map<String, KStream<String, EnrichedOutput>> routes = onKeyPartition(orders
                        .merge(items, Named.as("enrich.merge-order-events")), "enrich", "order-events",
                "order events", Serdes.String(), key -> key.getBytes(StandardCharsets.UTF_8),
                InternalSerde.of(OrderEvent.class), "Place them at the source: PartitionByField with "
                        + "partitions=" + topics.getPartitions() + " in the CDC connector (docs/topology.md)")
                .process(() -> new OrderEnricher(settings.enrich(), metrics, referenceChanges, tracing), Named.as("enrich.orders"),
                        StoreNames.ORDERS_STATE, StoreNames.PENDING_ORDERS, StoreNames.PENDING_LINES)
                .split(Named.as("enrich.route-"))
                .branch((key, out) -> out instanceof EnrichedOutput.Order, Branched.as("orders"))
                .defaultBranch(Branched.as("lines"));
        KStream<String, EnrichedOrder> enrichedOrders = routes.get("enrich.route-orders")
                // EnrichedOutput is sealed: the orders branch holds only orders, so the null case never happens
                .mapValues(out -> out instanceof EnrichedOutput.Order order ? order.value() : null,
                        Named.as("enrich.as-order"));
        enrichedOrders.processValues(() -> new FreshnessProbe<String, EnrichedOrder>(Layer.SILVER,
                        datasetOf(topics.getSilverOrders()), metrics.freshness()), Named.as("enrich.freshness-orders"))
                .to(topics.getSilverOrders(), Produced.with(Serdes.String(), orderSerde)
                .withName("enrich.sink-" + topics.getSilverOrders()));
        KStream<String, EnrichedOrderLine> enrichedLines = routes.get("enrich.route-lines")
                .mapValues(out -> out instanceof EnrichedOutput.Line line ? line.value() : null,
                        Named.as("enrich.as-line"));
        enrichedLines.processValues(() -> new FreshnessProbe<String, EnrichedOrderLine>(Layer.SILVER,
                        datasetOf(topics.getSilverOrderLines()), metrics.freshness()), Named.as("enrich.freshness-lines"))
                .to(topics.getSilverOrderLines(), Produced.with(Serdes.String(), lineSerde)
                .withName("enrich.sink-" + topics.getSilverOrderLines()));
        aggregateOrderLines(builder, enrichedLines);
        aggregateOrders(builder, enrichedOrders);
    }

    /**
     * {@code stream} on its key's partition ({@link KeyPlacement}), for a keyed stage of {@code stage}: records that
     * arrived there go on as they are, the others are rerouted there through the internal topic {@code name} (and
     * counted); a key's records all take the same path, so their order is kept.
     */
    private <K, V> KStream<K, V> onKeyPartition(KStream<K, V> stream, String stage, String name, String what,
            Serde<K> keySerde, Function<K, byte[]> keyBytes, Serde<V> internal, String remedy) {
        Map<String, KStream<K, KeyPlacement.Checked<V>>> placement = stream
                .processValues(() -> new KeyPlacementCheck<K, V>(what, keyBytes, topics.getPartitions(), remedy,
                        metrics), Named.as(stage + ".place-" + name))
                .split(Named.as(stage + ".placed-" + name + "-"))
                .branch((key, checked) -> checked.here(), Branched.as("here"))
                .defaultBranch(Branched.as("elsewhere"));
        // Keyed by the stage's key, the default partitioner puts a rerouted record on its key's partition.
        KStream<K, V> rerouted = placement.get(stage + ".placed-" + name + "-elsewhere")
                .mapValues(KeyPlacement.Checked::value, Named.as(stage + ".as-rerouted-" + name))
                .repartition(Repartitioned.with(keySerde, internal).withName(stage + "." + name)
                        .withNumberOfPartitions(topics.getPartitions()));
        return placement.get(stage + ".placed-" + name + "-here")
                .mapValues(KeyPlacement.Checked::value, Named.as(stage + ".as-placed-" + name))
                .merge(rerouted, Named.as(stage + ".merge-placed-" + name));
    }

    // ---- silver to gold ----------------------------------------------------------------------------------------

    /**
     * Gold's intake of the enriched orders or lines as they go to silver, in memory (reading silver back cost a hop,
     * a decode and a sub-topology per record): what the aggregate counts, on event time, each id counted once within
     * the dedupe window. A replay turned away here is a dead letter with its silver key and value (encoded then)
     * and {@code silverTopic} as its source.
     */
    private <V> KStream<String, V> goldIntake(StreamsBuilder builder, KStream<String, V> enriched, String name,
            String silverTopic, Serde<V> silverSerde, Predicate<V> counts, ToLongFunction<V> eventTime,
            Function<V, String> id) {
        Serializer<V> silver = silverSerde.serializer();
        String store = StoreNames.dedupe(name);
        Duration window = settings.aggregate().getDedupeWindow();
        builder.addStateStore(stores.windowStore(store, DedupeProcessor.retention(window), window, Serdes.String(),
                Serdes.Long()));
        KStream<String, Staged<V>> deduped = enriched
                .processValues(() -> new AggregateInputProcessor<>(name, counts, eventTime, metrics),
                        Named.as("aggregate.select-" + name))
                .mapValues((key, value) -> Staged.inMemory(key.getBytes(StandardCharsets.UTF_8), value,
                        () -> silver.serialize(silverTopic, value)), Named.as("aggregate.intake-" + name))
                .processValues(() -> new DedupeProcessor<>(name, store, window, id, metrics, tracing),
                        Named.as("dedupe." + name),
                        store);
        return divertFailures(deduped, "dedupe.route-" + name + "-", silverTopic)
                .mapValues(Staged::value, Named.as("aggregate.unique-" + name));
    }

    /** The late-event gate in front of an aggregate: late events to dlq.late, the others on as plain values. */
    private <K, V> KStream<K, V> gate(StreamsBuilder builder, KStream<K, V> input, String aggregate, Lateness lateness,
            String silverTopic, Function<V, String> silverKey, Serde<V> silverSerde, String handedOverFrom) {
        String store = StoreNames.lateClock(aggregate);
        builder.addStateStore(stores.keyValueStore(store, Serdes.String(), Serdes.Long()));
        KStream<K, Staged<V>> gated = input.processValues(() -> new LateEventGate<K, V>(aggregate, store, lateness,
                silverTopic, silverKey, silverSerde.serializer(), metrics, tracing), Named.as("late." + aggregate), store);
        return divertFailures(gated, "late.route-" + aggregate + "-", handedOverFrom)
                .mapValues(Staged::value, Named.as("aggregate.on-time-" + aggregate));
    }

    private void aggregateOrderLines(StreamsBuilder builder, KStream<String, EnrichedOrderLine> enrichedLines) {
        String name = "silver_order_lines";
        Serde<EnrichedOrderLine> silverSerde = registry.specific(EnrichedOrderLine.class);
        InternalSerde<EnrichedOrderLine> internal = InternalSerde.of(EnrichedOrderLine.class);
        AggregateSettings aggregate = settings.aggregate();
        String store = StoreNames.PRODUCT_REVENUE_HOURLY;
        KStream<String, EnrichedOrderLine> lines = goldIntake(builder, enrichedLines, name,
                topics.getSilverOrderLines(), silverSerde,
                line -> Aggregations.counts(line.getOp(), line.getDeleted()), Aggregations::eventTime,
                line -> OrderEnricher.lineKey(line.getOrderId(), line.getLineNo()));
        KStream<Long, EnrichedOrderLine> byProduct = lines
                .map((key, line) -> KeyValue.pair(line.getProductId(), line), Named.as("aggregate.by-product"))
                .repartition(Repartitioned.with(Serdes.Long(), internal).withName("aggregate.order-lines-by-product"));
        KTable<Windowed<Long>, ProductRevenueHourly> hours = gate(builder, byProduct, store,
                Lateness.tumbling(AggregateSettings.HOUR, aggregate.getProductHourlyGrace()),
                topics.getSilverOrderLines(), line -> OrderEnricher.lineKey(line.getOrderId(), line.getLineNo()),
                silverSerde, null)
                .groupByKey(Grouped.with(Serdes.Long(), internal))
                .windowedBy(TimeWindows.ofSizeAndGrace(AggregateSettings.HOUR, aggregate.getProductHourlyGrace()))
                .aggregate(Aggregations::emptyProductHour, Aggregations::addLine, Named.as("aggregate." + store),
                        Materialized.<Long, ProductRevenueHourly>as(stores.window(store,
                                        aggregate.retentionFor(AggregateSettings.HOUR, aggregate.getProductHourlyGrace()),
                                        AggregateSettings.HOUR))
                                .withKeySerde(Serdes.Long()).withValueSerde(InternalSerde.of(ProductRevenueHourly.class)));
        publishGold(hours, store, SluiceTopology::windowKey, topics.getSilverOrderLines(),
                topics.getGoldProductRevenueHourly(), ProductRevenueHourly.class);
    }

    private void aggregateOrders(StreamsBuilder builder, KStream<String, EnrichedOrder> enrichedOrders) {
        String name = "silver_orders";
        Serde<EnrichedOrder> silverSerde = registry.specific(EnrichedOrder.class);
        InternalSerde<EnrichedOrder> internal = InternalSerde.of(EnrichedOrder.class);
        AggregateSettings aggregate = settings.aggregate();
        String regionStore = StoreNames.REGION_REVENUE_DAILY;
        String customerStore = StoreNames.CUSTOMER_TOTALS;
        KStream<String, EnrichedOrder> orders = goldIntake(builder, enrichedOrders, name, topics.getSilverOrders(),
                silverSerde, order -> Aggregations.counts(order.getOp(), order.getDeleted()),
                order -> order.getOrderedAt().toEpochMilli(), order -> Long.toString(order.getOrderId()));
        KStream<String, EnrichedOrder> byRegion = orders
                .map((key, order) -> KeyValue.pair(Aggregations.region(order), order), Named.as("aggregate.by-region"))
                .repartition(Repartitioned.with(Serdes.String(), internal).withName("aggregate.orders-by-region"));
        // Customer totals count exactly the orders the daily revenue counted: both sit behind the same gate.
        KStream<String, EnrichedOrder> onTime = gate(builder, byRegion, regionStore,
                Lateness.tumbling(AggregateSettings.DAY, aggregate.getRegionDailyGrace()), topics.getSilverOrders(),
                order -> Long.toString(order.getOrderId()), silverSerde, null);
        KTable<Windowed<String>, RegionRevenueDaily> days = onTime.groupByKey(Grouped.with(Serdes.String(), internal))
                .windowedBy(TimeWindows.ofSizeAndGrace(AggregateSettings.DAY, aggregate.getRegionDailyGrace()))
                .aggregate(Aggregations::emptyRegionDay, Aggregations::addOrder, Named.as("aggregate." + regionStore),
                        Materialized.<String, RegionRevenueDaily>as(stores.window(regionStore,
                                        aggregate.retentionFor(AggregateSettings.DAY, aggregate.getRegionDailyGrace()),
                                        AggregateSettings.DAY))
                                .withKeySerde(Serdes.String()).withValueSerde(InternalSerde.of(RegionRevenueDaily.class)));
        publishGold(days, regionStore, SluiceTopology::windowKey, topics.getSilverOrders(),
                topics.getGoldRegionRevenueDaily(), RegionRevenueDaily.class);
        KTable<Long, CustomerTotals> customers = onTime
                .map((region, order) -> KeyValue.pair(order.getCustomerId(), order), Named.as("aggregate.by-customer"))
                .repartition(Repartitioned.with(Serdes.Long(), internal).withName("aggregate.orders-by-customer"))
                .groupByKey(Grouped.with(Serdes.Long(), internal))
                .aggregate(Aggregations::emptyCustomer, Aggregations::addOrder, Named.as("aggregate." + customerStore),
                        Materialized.<Long, CustomerTotals>as(stores.keyValue(customerStore))
                                .withKeySerde(Serdes.Long()).withValueSerde(InternalSerde.of(CustomerTotals.class)));
        publishGold(customers, customerStore, customer -> Long.toString(customer), topics.getSilverOrders(),
                topics.getGoldCustomerTotals(), CustomerTotals.class);
    }

    /**
     * Sessions of the clean user events as they go to silver, in memory (reading {@code silver.user_events} back cost
     * a hop and a decode per event), on their key's partition: the silver key is the bronze key, the user id, so
     * events that an application produces keyed by user id with the default partitioner are there already, the
     * others are rerouted. A late event is a dead letter with its silver key and value and {@code silver.user_events}
     * as its source.
     */
    private void aggregateSessions(StreamsBuilder builder, KStream<byte[], CleanUserEvent> cleanEvents) {
        String name = "silver_user_events";
        Serde<CleanUserEvent> silverSerde = registry.specific(CleanUserEvent.class);
        AggregateSettings aggregate = settings.aggregate();
        String store = StoreNames.USER_SESSIONS;
        KStream<byte[], CleanUserEvent> events = onKeyPartition(cleanEvents
                        .processValues(() -> new AggregateInputProcessor<>(name, event -> true,
                                event -> event.getOccurredAt().toEpochMilli(), metrics),
                                Named.as("aggregate.select-" + name)),
                "aggregate", "user-events-by-key", "user events", Serdes.ByteArray(), key -> key,
                InternalSerde.of(CleanUserEvent.class),
                "Produce them keyed by user id with the default partitioner, to topics of " + topics.getPartitions()
                        + " partitions (sluice.topics.partitions)");
        Duration gap = aggregate.getSessionGap();
        Duration grace = aggregate.getSessionGrace();
        // The store keeps the key bytes, which are what a String key serializes to: its changelog, its placement and
        // the queries (GoldStore.USER_SESSIONS) are those of a String-keyed store.
        KTable<Windowed<byte[]>, UserSession> sessions = gate(builder, events, store, Lateness.session(grace),
                topics.getSilverUserEvents(), CleanUserEvent::getUserId, silverSerde, topics.getSilverUserEvents())
                .groupByKey(Grouped.with(Serdes.ByteArray(), InternalSerde.of(CleanUserEvent.class)))
                .windowedBy(SessionWindows.ofInactivityGapAndGrace(gap, grace))
                .aggregate(Aggregations::emptySession,
                        (key, event, session) -> Aggregations.addEvent(userId(key), event, session),
                        (key, a, b) -> Aggregations.mergeSessions(userId(key), a, b),
                        Named.as("aggregate." + store),
                        Materialized.<byte[], UserSession>as(stores.session(store, aggregate.retentionFor(gap, grace)))
                                .withKeySerde(Serdes.ByteArray()).withValueSerde(InternalSerde.of(UserSession.class)));
        publishGold(sessions.toStream(Named.as("aggregate." + store + "-changes"))
                        .processValues(() -> new SessionRetractions<byte[], UserSession>(store),
                                Named.as("aggregate." + store + "-retractions"), store),
                store, SluiceTopology::sessionKey, topics.getSilverUserEvents(), topics.getGoldUserSessions(),
                UserSession.class, session -> OptionalLong.of(session.getSessionEnd().toEpochMilli()));
    }

    /**
     * Publishes the changes of a gold store to its gold topic: string keys, each value with the lineage of the silver
     * topic the store counts.
     */
    private <K, V extends SpecificRecord> void publishGold(KTable<K, V> table, String store, Function<K, String> key,
            String silverTopic, String goldTopic, Class<V> type) {
        publishGold(table.toStream(Named.as("aggregate." + store + "-changes")), store, key, silverTopic, goldTopic,
                type, value -> OptionalLong.empty());
    }

    /**
     * {@code sourceTimeOfValue}: the source time of a gold value whose store forwards it without its input's headers
     * (the sessions: their newest event's time, the session end); empty for the others.
     */
    private <K, V extends SpecificRecord> void publishGold(KStream<K, V> changes, String store, Function<K, String> key,
            String silverTopic, String goldTopic, Class<V> type, Function<V, OptionalLong> sourceTimeOfValue) {
        changes.map((k, value) -> KeyValue.pair(key.apply(k), value), Named.as("aggregate." + store + "-keys"))
                .processValues(() -> new GoldLineageProcessor<String, V>(store, silverTopic, metrics,
                        sourceTimeOfValue, tracing),
                        Named.as("aggregate." + store + "-lineage"))
                .processValues(() -> new FreshnessProbe<String, V>(Layer.GOLD, datasetOf(goldTopic), metrics.freshness()),
                        Named.as("aggregate." + store + "-freshness"))
                .to(goldTopic, Produced.with(Serdes.String(), registry.specific(type))
                        .withName("aggregate.sink-" + goldTopic));
    }

    private static String windowKey(Windowed<?> window) {
        return GoldKeys.windowed(window.key(), window.window().start());
    }

    private static String sessionKey(Windowed<byte[]> session) {
        return GoldKeys.windowed(userId(session.key()), session.window().start());
    }

    /** The user id whose UTF-8 bytes key the sessions (validated as UTF-8 when decoded). */
    private static String userId(byte[] key) {
        return new String(key, StandardCharsets.UTF_8);
    }
}
