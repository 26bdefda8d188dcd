package dev.sluice.bench.query;

import java.time.Instant;
import java.util.Properties;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import dev.sluice.app.kafka.PipelineTopics;
import dev.sluice.bench.topology.BenchData;
import dev.sluice.embedded.KafkaBroker;

/**
 * The benchmark's gold input: reference data and orders with their lines written to bronze (the topology's own bench
 * input, {@link BenchData}), since gold takes orders and lines from the enrichment and user events from the cleaning,
 * in memory. Event times are within the last few minutes, so none is late.
 */
final class GoldInput {

    private GoldInput() {
    }

    /** Writes {@code customers} customers, {@code products} products, {@code orders} orders and 4 events per user. */
    static void produce(KafkaBroker kafka, String registry, PipelineTopics topics, int customers, int products,
            int orders, int users) {
        BenchData shop = new BenchData(registry + "/apis/registry/v2", topics, 7L, customers, products);
        Instant base = Instant.now().minusSeconds(240);
        Properties props = kafka.clientProperties();
        props.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(64 * 1024));
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            shop.reference().forEach(producer::send);
            shop.orders(orders).forEach(producer::send);
            for (int u = 0; u < users; u++) {
                String user = "user-" + u;
                for (int k = 0; k < 4; k++) {
                    Instant at = base.plusSeconds(k * 20L + u % 60);
                    producer.send(shop.userEvent(user, user + "-" + k, "page_view", at));
                }
            }
            producer.flush();
        }
    }
}
