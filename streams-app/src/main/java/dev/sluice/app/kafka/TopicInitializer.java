package dev.sluice.app.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
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
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micronaut.configuration.kafka.streams.ConfiguredStreamBuilder;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

/**
 * Creates the topics the topology reads and writes when they are missing, before the streams start: brokers run
 * with topic auto-creation off, and a Streams app whose source topic is missing would stop at once. Silver topics
 * that hold state per key (the reference tables are rebuilt from them) and gold topics are compacted; the others
 * keep their layer's retention ({@code sluice.topics.retention.*}). Existing topics are left as they are, unless
 * {@link PartitionGuard} finds keyed ones with fewer partitions than configured.
 */
@Singleton
public class TopicInitializer {

    private static final Logger LOG = LoggerFactory.getLogger(TopicInitializer.class);
    private static final long TIMEOUT_SECONDS = 60;

    /**
     * Connects with the streams' own client settings (brokers and security: SASL credentials where Kafka requires
     * them), and first lets {@link PartitionGuard} check the keyed topics that exist.
     */
    public TopicInitializer(@Named("default") ConfiguredStreamBuilder builder, PipelineTopics topics,
            @Value("${sluice.repartition.allowed:false}") boolean allowRepartition,
            @Value("${sluice.repartition.strict:false}") boolean strict) {
        Map<String, Object> settings = new HashMap<>();
        Set<String> names = AdminClientConfig.configNames();
        Properties streams = builder.getConfiguration();
        streams.stringPropertyNames().stream().filter(names::contains).forEach(name -> settings.put(name,
                streams.get(name)));
        create(settings, topics, allowRepartition ? PartitionGuard.Mode.RAISE
                : strict ? PartitionGuard.Mode.REFUSE : PartitionGuard.Mode.WARN);
    }

    /** The topic-level configs a topic of the pipeline is created with: its layer's retention, or compaction. */
    static Map<String, String> configs(PipelineTopics topics, String name) {
        PipelineTopics.Retention retention = topics.getRetention();
        if (topics.silverCompacted().contains(name) || topics.gold().contains(name)) {
            return Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
        }
        Duration keep = topics.bronze().contains(name) ? retention.getBronze()
                : topics.silverLogs().contains(name) ? retention.getSilver() : retention.getDeadLetter();
        return Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                TopicConfig.RETENTION_MS_CONFIG, Long.toString(keep.toMillis()));
    }

    /** Creates every missing topic of {@code topics}; usable without Micronaut (benchmarks). */
    public static void create(String bootstrapServers, PipelineTopics topics) {
        create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), topics,
                PartitionGuard.Mode.WARN);
    }

    private static void create(Map<String, Object> adminSettings, PipelineTopics topics, PartitionGuard.Mode guard) {
        List<NewTopic> wanted = new ArrayList<>();
        for (String name : topics.all()) {
            wanted.add(new NewTopic(name, topics.getPartitions(), (short) -1).configs(configs(topics, name)));
        }
        String bootstrapServers = String.valueOf(adminSettings.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG));
        try (Admin admin = Admin.create(adminSettings)) {
            List<String> keyed = new ArrayList<>(topics.bronze());
            keyed.addAll(topics.silverCompacted());
            keyed.addAll(topics.silverLogs());
            keyed.addAll(topics.gold());
            PartitionGuard.check(admin, keyed, topics.getPartitions(), guard);
            int created = 0;
            for (Map.Entry<String, KafkaFuture<Void>> entry : admin.createTopics(wanted).values().entrySet()) {
                try {
                    entry.getValue().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                    created++;
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create topic " + entry.getKey(), e.getCause());
                    }
                }
            }
            LOG.info("topics ready created={} existing={} partitions={}", created, wanted.size() - created,
                    topics.getPartitions());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka at " + bootstrapServers + " did not create topics within "
                    + TIMEOUT_SECONDS + " s", e);
        }
    }
}
