package dev.sluice.bench.topology;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.BiFunction;

import org.apache.avro.JsonProperties;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

import dev.sluice.app.kafka.PipelineTopics;
import dev.sluice.app.placement.KeyPlacement;
import dev.sluice.app.serde.SchemaSource;
import dev.sluice.app.testing.ConfluentWireWriter;
import dev.sluice.schemas.events.UserEvent;
import io.apicurio.registry.serde.avro.AvroKafkaSerializer;

/**
 * The benchmark's input, serialized up front as the sources would write it: Debezium-shaped CDC rows of the shop
 * tables and reference rates (Avro through the registry, Confluent framing) and application user events. A busy
 * shop's mix: half user events, the rest orders with one to three lines; about 2% replays and 2% bad records.
 * Reference data (customers, products, rates) comes first so that orders find it.
 */
public final class BenchData {

    private static final Schema ID_KEY = key("id");
    private static final Schema ITEM_KEY = itemKey();
    private static final Schema CUSTOMER = cdc("customers", field("id", Schema.Type.LONG), field("email",
            Schema.Type.STRING), field("full_name", Schema.Type.STRING), field("region", Schema.Type.STRING),
            field("country", Schema.Type.STRING), field("created_at", Schema.Type.STRING), field("updated_at",
                    Schema.Type.STRING));
    private static final Schema PRODUCT = cdc("products", field("id", Schema.Type.LONG), field("sku",
            Schema.Type.STRING), field("name", Schema.Type.STRING), field("category", Schema.Type.STRING),
            decimal("price", 2), field("currency", Schema.Type.STRING), field("updated_at", Schema.Type.STRING));
    private static final Schema ORDER = cdc("orders", field("id", Schema.Type.LONG), field("customer_id",
            Schema.Type.LONG), field("status", Schema.Type.STRING), field("currency", Schema.Type.STRING),
            decimal("total_amount", 2), field("ordered_at", Schema.Type.STRING), field("updated_at",
                    Schema.Type.STRING));
    private static final Schema ITEM = cdc("order_items", field("order_id", Schema.Type.LONG), field("line_no",
            Schema.Type.INT), field("product_id", Schema.Type.LONG), field("quantity", Schema.Type.INT),
            decimal("unit_price", 2));
    private static final Schema RATE = record("exchange_rates", List.of(field("id", Schema.Type.LONG),
            field("currency", Schema.Type.STRING), decimal("rate_to_eur", 8), millis("valid_from"),
            millis("updated_at")));
    private static final int CUSTOMERS = 200;
    private static final int PRODUCTS = 50;
    private static final List<String> CURRENCIES = List.of("EUR", "USD", "GBP");
    private static final List<String> TYPES = List.of("page_view", "page_view", "search", "add_to_cart", "checkout");

    private final PipelineTopics topics;
    private final Random random;
    /** Frames a key or value record of a topic in the Confluent wire format. */
    private final BiFunction<String, GenericContainer, byte[]> keys;
    private final BiFunction<String, GenericContainer, byte[]> values;
    private final Instant now = Instant.now();
    private long lsn = 1;

    private final int customers;
    private final int products;
    private long order = 1;

    BenchData(String registryV2Url, PipelineTopics topics, long seed) {
        this(registryV2Url, topics, seed, CUSTOMERS, PRODUCTS);
    }

    /**
     * Input of a shop of {@code customers} customers and {@code products} products (for other benchmarks), schemas
     * registered in the registry at {@code registryV2Url} by Apicurio's serializer, as the sources do.
     */
    public BenchData(String registryV2Url, PipelineTopics topics, long seed, int customers, int products) {
        this(topics, seed, customers, products, apicurio(registryV2Url, true), apicurio(registryV2Url, false));
    }

    /** The same input with schema ids from {@code schemas}, no registry process (the broker-free harness). */
    BenchData(SchemaSource schemas, PipelineTopics topics, long seed) {
        this(topics, seed, CUSTOMERS, PRODUCTS, wire(schemas, "-key"), wire(schemas, "-value"));
    }

    private BenchData(PipelineTopics topics, long seed, int customers, int products,
            BiFunction<String, GenericContainer, byte[]> keys, BiFunction<String, GenericContainer, byte[]> values) {
        this.topics = topics;
        this.random = new Random(seed);
        this.customers = customers;
        this.products = products;
        this.keys = keys;
        this.values = values;
    }

    private static BiFunction<String, GenericContainer, byte[]> apicurio(String registryV2Url, boolean isKey) {
        AvroKafkaSerializer<Object> serializer = new AvroKafkaSerializer<>();
        serializer.configure(Map.of("apicurio.registry.url", registryV2Url,
                "apicurio.registry.auto-register", "true", "apicurio.registry.as-confluent", "true",
                "apicurio.registry.use-id", "contentId", "apicurio.registry.headers.enabled", "false"), isKey);
        return serializer::serialize;
    }

    /** The framing of {@link ConfluentWireWriter}, under subject {@code <topic><suffix>}. */
    private static BiFunction<String, GenericContainer, byte[]> wire(SchemaSource schemas, String suffix) {
        ConfluentWireWriter writer = new ConfluentWireWriter(schemas);
        return (topic, record) -> writer.write(topic + suffix, record.getSchema(), record);
    }

    /** Exchange rates, customers and products. */
    public List<ProducerRecord<byte[], byte[]>> reference() {
        List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>();
        String[] currencies = {"USD", "GBP", "CHF"};
        String[] rates = {"0.92", "1.17", "1.05"};
        for (int i = 0; i < currencies.length; i++) {
            out.add(cdc(topics.getExchangeRates(), ID_KEY, RATE, Map.of("id", (long) i + 1, "currency",
                    currencies[i], "rate_to_eur", new BigDecimal(rates[i]), "valid_from", now.minusSeconds(86_400),
                    "updated_at", now.minusSeconds(86_400)), (long) i + 1));
        }
        for (long id = 1; id <= customers; id++) {
            out.add(cdc(topics.getCustomers(), ID_KEY, CUSTOMER, change(Map.of("id", id, "email", "c" + id
                    + "@example.com", "full_name", "Customer " + id, "region", List.of("EMEA", "AMER", "APAC")
                    .get((int) (id % 3)), "country", "DE", "created_at", iso(now.minusSeconds(7200)), "updated_at",
                    iso(now.minusSeconds(7200)))), id));
        }
        for (long id = 1; id <= products; id++) {
            out.add(cdc(topics.getProducts(), ID_KEY, PRODUCT, change(Map.of("id", id, "sku", "SKU-" + id, "name",
                    "Product " + id, "category", "kitchen", "price", new BigDecimal("19.90"), "currency", "EUR",
                    "updated_at", iso(now.minusSeconds(7200)))), id));
        }
        return out;
    }

    /**
     * About {@code count} records; event times advance with the records over five minutes, a few seconds out of
     * order, as a busy shop would produce them live. (Spread over an hour, a replay this fast turns one poll batch
     * of a partition into minutes of event time, and the unevenness between partitions makes most lines late for
     * the hourly windows: that measures the late path, not the pipeline.)
     */
    List<ProducerRecord<byte[], byte[]>> bulk(int count) {
        List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>(count + 3);
        Instant start = now.minusSeconds(360);
        while (out.size() < count) {
            Instant at = start.plusMillis(300_000L * out.size() / count - random.nextInt(3_000));
            int dice = random.nextInt(100);
            if (dice < 2) {
                out.add(bad());
            } else if (dice < 4 && !out.isEmpty()) {
                out.add(out.get(random.nextInt(out.size())));
            } else if (dice < 54) {
                out.add(userEvent(at));
            } else {
                addOrder(out, at);
            }
        }
        return out;
    }

    /** {@code count} orders of one to three lines, nothing else, ordered over the five minutes before now. */
    public List<ProducerRecord<byte[], byte[]>> orders(int count) {
        List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>(count * 3);
        Instant start = now.minusSeconds(360);
        for (int i = 0; i < count; i++) {
            addOrder(out, start.plusMillis(300_000L * i / count));
        }
        return out;
    }

    private void addOrder(List<ProducerRecord<byte[], byte[]>> out, Instant at) {
        long id = order++;
        int lines = 1 + random.nextInt(3);
        String currency = CURRENCIES.get(random.nextInt(CURRENCIES.size()));
        // On the order's partition, as the CDC connector's PartitionByField puts an order and its items.
        int home = KeyPlacement.partitionOf(Long.toString(id), topics.getPartitions());
        out.add(placed(home, cdc(topics.getOrders(), ID_KEY, ORDER, change(Map.of("id", id, "customer_id",
                1L + random.nextInt(customers), "status", "NEW", "currency", currency, "total_amount",
                new BigDecimal("19.90").multiply(BigDecimal.valueOf(lines)), "ordered_at", iso(at),
                "updated_at", iso(at))), id)));
        for (int line = 1; line <= lines; line++) {
            out.add(placed(home, cdc(topics.getOrderItems(), ITEM_KEY, ITEM, change(Map.of("order_id", id,
                    "line_no", line, "product_id", 1L + random.nextInt(products), "quantity", 1, "unit_price",
                    new BigDecimal("19.90"))), id, line)));
        }
    }

    private static ProducerRecord<byte[], byte[]> placed(int partition, ProducerRecord<byte[], byte[]> record) {
        return new ProducerRecord<>(record.topic(), partition, record.key(), record.value());
    }

    private ProducerRecord<byte[], byte[]> userEvent(Instant at) {
        return userEvent("user-" + random.nextInt(500), UUID.randomUUID().toString(),
                TYPES.get(random.nextInt(TYPES.size())), at);
    }

    /** A user event keyed by its user id, as applications produce them (so it is on its user's partition). */
    public ProducerRecord<byte[], byte[]> userEvent(String user, String eventId, String type, Instant at) {
        UserEvent event = UserEvent.newBuilder().setEventId(eventId).setEventType(type)
                .setUserId(user).setSessionId("s-" + user).setProductId(type.equals("add_to_cart") ? 1L : null)
                .setQuantity(type.equals("add_to_cart") ? 1 : null).setPage(type.equals("page_view") ? "/p" : null)
                .setOccurredAt(at).build();
        return new ProducerRecord<>(topics.getUserEvents(), user.getBytes(StandardCharsets.UTF_8),
                values.apply(topics.getUserEvents(), event));
    }

    private ProducerRecord<byte[], byte[]> bad() {
        byte[] junk = random.nextBoolean() ? ByteBuffer.allocate(9).put((byte) 0).putInt(999_999).putInt(1).array()
                : "{\"not\":\"avro\"}".getBytes(StandardCharsets.UTF_8);
        return new ProducerRecord<>(topics.getUserEvents(), "user-1".getBytes(StandardCharsets.UTF_8), junk);
    }

    private Map<String, Object> change(Map<String, Object> row) {
        Map<String, Object> change = new HashMap<>(row);
        change.put("__op", "c");
        change.put("__lsn", lsn++);
        change.put("__source_ts_ms", now.toEpochMilli());
        change.put("__deleted", "false");
        return change;
    }

    private ProducerRecord<byte[], byte[]> cdc(String topic, Schema keySchema, Schema valueSchema,
            Map<String, Object> row, Object... key) {
        GenericRecord k = new GenericData.Record(keySchema);
        for (int i = 0; i < key.length; i++) {
            k.put(i, key[i]);
        }
        GenericRecord v = new GenericData.Record(valueSchema);
        row.forEach((name, value) -> v.put(name, value instanceof BigDecimal d
                ? ByteBuffer.wrap(d.setScale(scale(valueSchema, name)).unscaledValue().toByteArray())
                : value instanceof Instant t ? t.toEpochMilli() : value));
        return new ProducerRecord<>(topic, keys.apply(topic, k), values.apply(topic, v));
    }

    private static int scale(Schema schema, String field) {
        return ((LogicalTypes.Decimal) schema.getField(field).schema().getLogicalType()).getScale();
    }

    private static String iso(Instant time) {
        return time.toString();
    }

    private static Schema key(String field) {
        Schema schema = Schema.createRecord("Key", null, "bench", false);
        schema.setFields(List.of(field(field, Schema.Type.LONG)));
        return schema;
    }

    private static Schema itemKey() {
        Schema schema = Schema.createRecord("ItemKey", null, "bench", false);
        schema.setFields(List.of(field("order_id", Schema.Type.LONG), field("line_no", Schema.Type.INT)));
        return schema;
    }

    private static Schema cdc(String table, Schema.Field... row) {
        List<Schema.Field> fields = new ArrayList<>(List.of(row));
        fields.add(optional("__op", Schema.Type.STRING));
        fields.add(optional("__lsn", Schema.Type.LONG));
        fields.add(optional("__source_ts_ms", Schema.Type.LONG));
        fields.add(optional("__deleted", Schema.Type.STRING));
        return record(table, fields);
    }

    private static Schema record(String name, List<Schema.Field> fields) {
        Schema schema = Schema.createRecord(name, null, "bench", false);
        schema.setFields(fields);
        return schema;
    }

    private static Schema.Field field(String name, Schema.Type type) {
        return new Schema.Field(name, Schema.create(type));
    }

    private static Schema.Field optional(String name, Schema.Type type) {
        return new Schema.Field(name, Schema.createUnion(Schema.create(Schema.Type.NULL), Schema.create(type)), null,
                JsonProperties.NULL_VALUE);
    }

    private static Schema.Field decimal(String name, int scale) {
        return new Schema.Field(name, new Schema.Parser().parse("{\"type\":\"bytes\",\"logicalType\":\"decimal\","
                + "\"precision\":18,\"scale\":" + scale + "}"));
    }

    private static Schema.Field millis(String name) {
        return new Schema.Field(name, new Schema.Parser().parse(
                "{\"type\":\"long\",\"logicalType\":\"timestamp-millis\"}"));
    }
}
