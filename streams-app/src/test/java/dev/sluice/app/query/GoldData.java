package dev.sluice.app.query;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.Future;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;

import dev.sluice.app.serde.RegistrySerdes;
import dev.sluice.app.serde.RegistrySettings;
import dev.sluice.app.topology.PipelineTopics;
import dev.sluice.embedded.KafkaBroker;
import dev.sluice.schemas.silver.CleanUserEvent;
import dev.sluice.schemas.silver.EnrichedOrder;
import dev.sluice.schemas.silver.EnrichedOrderLine;

/**
 * Silver input for the gold aggregates, written straight to the silver topics the aggregates read (Avro through
 * the real registry, as the enrichment writes them), and what gold must then hold. Event times are a few minutes
 * apart at most, in order, so that nothing is late whichever instance processes what first.
 */
public final class GoldData {

    private static final String[] REGIONS = {"EMEA", "AMER", "APAC", null};
    private static final String[] EVENT_TYPES = {"page_view", "search", "add_to_cart", "page_view", "checkout"};
    private static final BigDecimal UNIT_PRICE = new BigDecimal("5.25");

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
     * Writes {@code orders} orders of {@code customers} customers with one to three lines of {@code products}
     * products, and five events for each of {@code users} users, all from {@code base} on.
     */
    public static Expected produce(KafkaBroker kafka, String registryUrl, PipelineTopics topics, int customers,
            int products, int orders, int users, Instant base) throws Exception {
        RegistrySerdes serdes = new RegistrySerdes(new RegistrySettings(registryUrl));
        Serializer<EnrichedOrder> orderValues = serdes.specific(EnrichedOrder.class).serializer();
        Serializer<EnrichedOrderLine> lineValues = serdes.specific(EnrichedOrderLine.class).serializer();
        Serializer<CleanUserEvent> eventValues = serdes.specific(CleanUserEvent.class).serializer();
        Expected expected = new Expected();
        List<Future<RecordMetadata>> sends = new ArrayList<>();
        Properties props = kafka.clientProperties();
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(),
                (topic, bytes) -> bytes)) {
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
                    BigDecimal amount = UNIT_PRICE.multiply(BigDecimal.valueOf(quantity)).setScale(2);
                    total = total.add(amount);
                    EnrichedOrderLine value = EnrichedOrderLine.newBuilder().setOrderId(orderId).setLineNo(line)
                            .setProductId(product).setProductName("Product " + product).setQuantity(quantity)
                            .setUnitPrice(UNIT_PRICE).setLineAmount(amount).setCurrency("EUR")
                            .setReportingCurrency("EUR").setLineAmountReporting(amount).setCustomerId(customer)
                            .setOrderedAt(at).setOp("c").setSourceTs(at).build();
                    String topic = topics.getSilverOrderLines();
                    sends.add(producer.send(new ProducerRecord<>(topic, null, at.toEpochMilli(),
                            orderId + ":" + line, lineValues.serialize(topic, value))));
                    expected.productLines.merge(product, 1L, Long::sum);
                    expected.productQuantity.merge(product, (long) quantity, Long::sum);
                    expected.productRevenue.merge(product, amount, BigDecimal::add);
                }
                EnrichedOrder value = EnrichedOrder.newBuilder().setOrderId(orderId).setCustomerId(customer)
                        .setStatus("NEW").setCurrency("EUR").setTotalAmount(total).setReportingCurrency("EUR")
                        .setTotalAmountReporting(total).setOrderedAt(at).setUpdatedAt(at).setCustomerRegion(region)
                        .setOp("c").setSourceLsn((long) i).setSourceTs(at).build();
                String topic = topics.getSilverOrders();
                sends.add(producer.send(new ProducerRecord<>(topic, null, at.toEpochMilli(), Long.toString(orderId),
                        orderValues.serialize(topic, value))));
                expected.customerOrders.merge(customer, 1L, Long::sum);
                expected.customerRevenue.merge(customer, total, BigDecimal::add);
                String regionKey = region == null ? "UNKNOWN" : region;
                expected.regionOrders.merge(regionKey, 1L, Long::sum);
                expected.regionRevenue.merge(regionKey, total, BigDecimal::add);
            }
            for (int u = 1; u <= users; u++) {
                String user = "user-" + u;
                for (int k = 0; k < EVENT_TYPES.length; k++) {
                    Instant at = base.plusSeconds(k * 10L + u);
                    CleanUserEvent value = CleanUserEvent.newBuilder().setEventId(user + "-" + k)
                            .setEventType(EVENT_TYPES[k]).setUserId(user).setPage("/p/" + k).setOccurredAt(at)
                            .setReceivedAt(at).build();
                    String topic = topics.getSilverUserEvents();
                    sends.add(producer.send(new ProducerRecord<>(topic, null, at.toEpochMilli(), user,
                            eventValues.serialize(topic, value))));
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
}
