package dev.sluice.bench.query;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Properties;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
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
 * The benchmark's gold input: orders with one or two lines and user events, written to the silver topics the gold
 * aggregates read (Avro through the registry), event times a few minutes apart at most so that none is late.
 */
final class SilverData {

    private static final String[] REGIONS = {"EMEA", "AMER", "APAC"};
    private static final BigDecimal PRICE = new BigDecimal("7.50");

    private SilverData() {
    }

    /** Writes {@code orders} orders of {@code customers} customers and {@code products} products. */
    static void produce(KafkaBroker kafka, String registryUrl, PipelineTopics topics, int customers, int products,
            int orders, int users) {
        RegistrySerdes serdes = new RegistrySerdes(new RegistrySettings(registryUrl));
        Serializer<EnrichedOrder> orderValues = serdes.specific(EnrichedOrder.class).serializer();
        Serializer<EnrichedOrderLine> lineValues = serdes.specific(EnrichedOrderLine.class).serializer();
        Serializer<CleanUserEvent> eventValues = serdes.specific(CleanUserEvent.class).serializer();
        Instant base = Instant.now().minusSeconds(240);
        Properties props = kafka.clientProperties();
        props.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(64 * 1024));
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(),
                (topic, bytes) -> bytes)) {
            for (int i = 0; i < orders; i++) {
                long orderId = 1_000_000 + i;
                long customer = 1 + i % customers;
                Instant at = base.plusMillis(i * 180_000L / orders);
                BigDecimal total = BigDecimal.ZERO.setScale(2);
                for (int line = 1; line <= 1 + i % 2; line++) {
                    long product = 1 + (i * 31L + line) % products;
                    BigDecimal amount = PRICE.multiply(BigDecimal.valueOf(line)).setScale(2);
                    total = total.add(amount);
                    producer.send(new ProducerRecord<>(topics.getSilverOrderLines(), null, at.toEpochMilli(),
                            orderId + ":" + line, lineValues.serialize(topics.getSilverOrderLines(),
                                    EnrichedOrderLine.newBuilder().setOrderId(orderId).setLineNo(line)
                                            .setProductId(product).setProductName("Product " + product)
                                            .setQuantity(line).setUnitPrice(PRICE).setLineAmount(amount)
                                            .setCurrency("EUR").setReportingCurrency("EUR")
                                            .setLineAmountReporting(amount).setCustomerId(customer).setOrderedAt(at)
                                            .setOp("c").setSourceTs(at).build())));
                }
                producer.send(new ProducerRecord<>(topics.getSilverOrders(), null, at.toEpochMilli(),
                        Long.toString(orderId), orderValues.serialize(topics.getSilverOrders(),
                                EnrichedOrder.newBuilder().setOrderId(orderId).setCustomerId(customer)
                                        .setStatus("NEW").setCurrency("EUR").setTotalAmount(total)
                                        .setReportingCurrency("EUR").setTotalAmountReporting(total).setOrderedAt(at)
                                        .setUpdatedAt(at).setCustomerRegion(REGIONS[(int) (customer % 3)])
                                        .setOp("c").setSourceLsn((long) i).setSourceTs(at).build())));
            }
            for (int u = 0; u < users; u++) {
                String user = "user-" + u;
                for (int k = 0; k < 4; k++) {
                    Instant at = base.plusSeconds(k * 20L + u % 60);
                    producer.send(new ProducerRecord<>(topics.getSilverUserEvents(), null, at.toEpochMilli(), user,
                            eventValues.serialize(topics.getSilverUserEvents(), CleanUserEvent.newBuilder()
                                    .setEventId(user + "-" + k).setEventType("page_view").setUserId(user)
                                    .setPage("/p/" + k).setOccurredAt(at).setReceivedAt(at).build())));
                }
            }
            producer.flush();
        }
    }
}
