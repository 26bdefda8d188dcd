package dev.sluice.app.kafka;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.sluice.app.topology.PipelineTopics;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

/**
 * Creates the topics the topology reads and writes when they are missing, before the streams start: brokers run
 * with topic auto-creation off, and a Streams app whose source topic is missing would stop at once.
 */
@Singleton
public class TopicInitializer {

    private static final Logger LOG = LoggerFactory.getLogger(TopicInitializer.class);
    private static final long TIMEOUT_SECONDS = 60;

    public TopicInitializer(@Value("${kafka.bootstrap.servers}") String bootstrapServers, PipelineTopics topics) {
        Set<String> names = Set.of(topics.getUserEvents(), topics.getSilverUserEvents(), topics.getDlq());
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        try (Admin admin = Admin.create(props)) {
            List<NewTopic> missing = names.stream()
                    .map(name -> new NewTopic(name, topics.getPartitions(), (short) -1))
                    .toList();
            for (Map.Entry<String, KafkaFuture<Void>> entry : admin.createTopics(missing).values().entrySet()) {
                try {
                    entry.getValue().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                    LOG.info("topic created name={} partitions={}", entry.getKey(), topics.getPartitions());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create topic " + entry.getKey(), e.getCause());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka at " + bootstrapServers + " did not create topics within "
                    + TIMEOUT_SECONDS + " s", e);
        }
    }
}
