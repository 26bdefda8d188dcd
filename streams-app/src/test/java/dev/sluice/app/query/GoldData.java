package dev.sluice.app.query;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.Future;

import org.apache.avro.Schema;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import dev.sluice.app.kafka.PipelineTopics;
import dev.sluice.app.testing.BronzeRecords;
import dev.sluice.app.testing.BronzeSchemas;
import dev.sluice.app.testing.Rows;
import dev.sluice.embedded.KafkaBroker;

/**
 * Input for the gold aggregates and what gold must then hold. Orders and their lines go to the bronze topics, with
 * their customers and products (Debezium-shaped rows, Avro through the real registry), since gold takes orders and
 * lines from the enrichment in memory; so do user events (keyed by user id, as applications produce them), since
 * the sessions take them from the cleaning in memory too. Event times are a few minutes apart at most, in order, so that nothing is late whichever instance processes
 * what first.
 */
public final class GoldData {

    private static final String[] REGIONS = {"EMEA", "AMER", "APAC"};
    private static final String[] EVENT_TYPES = {"page_view", "search", "add_to_cart", "page_view", "checkout"};
    private static final String UNIT_PRICE = "5.25";

    /** Per key of each gold store: what the aggregates must add up to (over all windows and sessions). */
    public static final class Expected {
        public final Map<Long, Long> customerOrders = new TreeMap<>();
        public final Map<Long, BigDecimal> customerRevenue = new TreeMap<>();
        public final Map<Long, Long> productLines = new TreeMap<>();
        public final Map<Long, Long> productQuantity = new TreeMap<>();
        public final Map<Long, BigDecimal> productRevenue = new TreeMap<>();
        public final Map<String, Long> regionOrders = new TreeMap<>();
        public final Map<String, BigDecimal> regionRevenue = new TreeMap<>();
        public final Map<String, Long> userEvents = new TreeMap<>();
        public int records;
    }

    private GoldData() {
    }

    /**
     * Writes {@code customers} customers, {@code products} products, {@code orders} orders with one to three lines
     * each, and five events for each of {@code users} users, all from {@code base} on.
     */
    public static Expected produce(KafkaBroker kafka, String registryUrl, PipelineTopics topics, int customers,
            int products, int orders, int users, Instant base) throws Exception {
        BronzeRecords bronze = new BronzeRecords(registryUrl + "/apis/registry/v2");
        Expected expected = new Expected();
        List<Future<RecordMetadata>> sends = new ArrayList<>();
        Properties props = kafka.clientProperties();
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (long customer = 1; customer <= customers; customer++) {
                Map<String, Object> row = Rows.customer(customer);
                row.put("region", REGIONS[(int) (customer % REGIONS.length)]);
                sends.add(send(producer, bronze, topics.getCustomers(), BronzeSchemas.CUSTOMER_KEY,
                        BronzeSchemas.CUSTOMER, row, base, customer));
            }
            for (long product = 1; product <= products; product++) {
                sends.add(send(producer, bronze, topics.getProducts(), BronzeSchemas.PRODUCT_KEY,
                        BronzeSchemas.PRODUCT, Rows.product(product, UNIT_PRICE, "EUR"), base, product));
            }
            for (int i = 1; i <= orders; i++) {
                long orderId = 10_000 + i;
                long customer = 1 + i % customers;
                String region = REGIONS[(int) (customer % REGIONS.length)];
                Instant at = base.plusMillis(i * 200L);
                int lines = 1 + i % 3;
                BigDecimal total = BigDecimal.ZERO.setScale(2);
                for (int line = 1; line <= lines; line++) {
                    long product = 1 + (i * 7L + line) % products;
                    int quantity = line;
                    BigDecimal amount = new BigDecimal(UNIT_PRICE).multiply(BigDecimal.valueOf(quantity)).setScale(2);
                    total = total.add(amount);
                    sends.add(send(producer, bronze, topics.getOrderItems(), BronzeSchemas.ORDER_ITEM_KEY,
                            BronzeSchemas.ORDER_ITEM, Rows.item(orderId, line, product, quantity, UNIT_PRICE), at,
                            orderId, line));
                    expected.productLines.merge(product, 1L, Long::sum);
                    expected.productQuantity.merge(product, (long) quantity, Long::sum);
                    expected.productRevenue.merge(product, amount, BigDecimal::add);
                }
                sends.add(send(producer, bronze, topics.getOrders(), BronzeSchemas.ORDER_KEY, BronzeSchemas.ORDER,
                        Rows.order(orderId, customer, "EUR", total.toPlainString(), at), at, orderId));
                expected.customerOrders.merge(customer, 1L, Long::sum);
                expected.customerRevenue.merge(customer, total, BigDecimal::add);
                expected.regionOrders.merge(region, 1L, Long::sum);
                expected.regionRevenue.merge(region, total, BigDecimal::add);
            }
            for (int u = 1; u <= users; u++) {
                String user = "user-" + u;
                for (int k = 0; k < EVENT_TYPES.length; k++) {
                    Instant at = base.plusSeconds(k * 10L + u);
                    String topic = topics.getUserEvents();
                    sends.add(producer.send(new ProducerRecord<>(topic, null, at.toEpochMilli(),
                            user.getBytes(StandardCharsets.UTF_8), bronze.value(topic, BronzeSchemas.USER_EVENT,
                                    event(user, k, at)))));
                    expected.userEvents.merge(user, 1L, Long::sum);
                }
            }
        }
        for (Future<RecordMetadata> send : sends) {
            send.get();
        }
        expected.records = sends.size();
        return expected;
    }

    private static Map<String, Object> event(String user, int k, Instant at) {
        Map<String, Object> row = Rows.userEvent(user, EVENT_TYPES[k], at);
        row.put("event_id", user + "-" + k);
        return row;
    }

    private static Future<RecordMetadata> send(KafkaProducer<byte[], byte[]> producer, BronzeRecords bronze,
            String topic, Schema keySchema, Schema valueSchema, Map<String, Object> row, Instant at, Object... key) {
        return producer.send(new ProducerRecord<>(topic, null, at.toEpochMilli(), bronze.key(topic, keySchema, key),
                bronze.value(topic, valueSchema, row)));
    }
}
