package dev.sluice.embedded;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A Kafka node plus a transactional producer in one JVM, for {@link KilledKafkaNodeIT} to {@code kill -9}: the
 * producer commits transaction after transaction, each a record to every partition of {@link #TOPIC} and a consumer
 * offset (as Kafka Streams commits), and prints {@code committed <run>-<n>} after each.
 */
public final class TransactionalNode {

    static final String TOPIC = "killed.node";
    static final int PARTITIONS = 12;
    static final String GROUP = "killed-node-group";

    private TransactionalNode() {
    }

    /** Arguments: the node's directory, its client port, its controller port and a name for this run. */
    public static void main(String[] args) {
        KafkaBroker kafka = KafkaBroker.start(Path.of(args[0]), Integer.parseInt(args[1]), Integer.parseInt(args[2]));
        kafka.createTopics(PARTITIONS, TOPIC);
        Properties props = kafka.clientProperties();
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "killed-node-producer");
        // Short, so that the coordinator aborts the transaction the kill leaves open soon after the restart.
        props.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, "3000");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        KafkaProducer<String, String> producer = new KafkaProducer<>(props);
        producer.initTransactions();
        for (long n = 1; ; n++) {
            producer.beginTransaction();
            for (int partition = 0; partition < PARTITIONS; partition++) {
                producer.send(new ProducerRecord<>(TOPIC, partition, null, args[3] + "-" + n));
            }
            producer.sendOffsetsToTransaction(Map.of(new TopicPartition(TOPIC, 0), new OffsetAndMetadata(n)),
                    new ConsumerGroupMetadata(GROUP));
            producer.commitTransaction();
            System.out.println("committed " + args[3] + "-" + n);
            System.out.flush();
        }
    }
}
