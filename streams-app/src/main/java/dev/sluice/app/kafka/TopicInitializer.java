package dev.sluice.app.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
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

import dev.sluice.app.dataset.DatasetSpec;
import dev.sluice.app.dataset.LoadedDatasets;
import io.micronaut.configuration.kafka.streams.ConfiguredStreamBuilder;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

/**
 * Creates the topics the topology reads and writes when they are missing, before the streams start: brokers run
 * with topic auto-creation off, and a Streams app whose source topic is missing would stop at once. Silver topics
 * that hold state per key (the reference tables are rebuilt from them) and gold topics are compacted; the others
 * keep their layer's retention ({@code sluice.topics.retention.*}). Each dataset's bronze and silver topics are
 * created likewise, its silver topic compacted when its specification says so ({@code silver.compacted}). Existing
 * topics are left as they are, unless {@link PartitionGuard} finds keyed ones with fewer partitions than configured.
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
            LoadedDatasets datasets, @Value("${sluice.repartition.allowed:false}") boolean allowRepartition,
            @Value("${sluice.repartition.strict:false}") boolean strict) {
        Map<String, Object> settings = new HashMap<>();
        Set<String> names = AdminClientConfig.configNames();
        Properties streams = builder.getConfiguration();
        streams.stringPropertyNames().stream().filter(names::contains).forEach(name -> settings.put(name,
                streams.get(name)));
        create(settings, topics, datasets.specs(), allowRepartition ? PartitionGuard.Mode.RAISE
                : strict ? PartitionGuard.Mode.REFUSE : PartitionGuard.Mode.WARN);
    }

    /**
     * Every topic to create with its configs: the pipeline's, then each dataset's bronze topic (the bronze
     * retention) and silver topic (compacted, or the silver retention), where the pipeline does not name it already.
     */
    static Map<String, Map<String, String>> wanted(PipelineTopics topics, List<DatasetSpec> datasets) {
        Map<String, Map<String, String>> wanted = new LinkedHashMap<>();
        for (String name : topics.all()) {
            wanted.put(name, configs(topics, name));
        }
        PipelineTopics.Retention retention = topics.getRetention();
        for (DatasetSpec dataset : datasets) {
            wanted.putIfAbsent(dataset.source().topic(), deleted(retention.getBronze()));
            wanted.putIfAbsent(dataset.silver().topic(), dataset.silver().compacted()
                    ? Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)
                    : deleted(retention.getSilver()));
        }
        return wanted;
    }

    private static Map<String, String> deleted(Duration keep) {
        return Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                TopicConfig.RETENTION_MS_CONFIG, Long.toString(keep.toMillis()));
    }

    /** The topic-level configs a topic of the pipeline is created with: its layer's retention, or compaction. */
    static Map<String, String> configs(PipelineTopics topics, String name) {
        PipelineTopics.Retention retention = topics.getRetention();
        if (topics.silverCompacted().contains(name) || topics.gold().contains(name)) {
            return Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
        }
        return deleted(topics.bronze().contains(name) ? retention.getBronze()
                : topics.silverLogs().contains(name) ? retention.getSilver() : retention.getDeadLetter());
    }

    /** Creates every missing topic of {@code topics}; usable without Micronaut (benchmarks). */
    public static void create(String bootstrapServers, PipelineTopics topics) {
        create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), topics, List.of(),
                PartitionGuard.Mode.WARN);
    }

    private static void create(Map<String, Object> adminSettings, PipelineTopics topics, List<DatasetSpec> datasets,
            PartitionGuard.Mode guard) {
        List<NewTopic> wanted = new ArrayList<>();
        wanted(topics, datasets).forEach((name, configs) -> wanted.add(new NewTopic(name, topics.getPartitions(),
                (short) -1).configs(configs)));
        String bootstrapServers = String.valueOf(adminSettings.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG));
        try (Admin admin = Admin.create(adminSettings)) {
            List<String> keyed = new ArrayList<>(topics.bronze());
            keyed.addAll(topics.silverCompacted());
            keyed.addAll(topics.silverLogs());
            keyed.addAll(topics.gold());
            for (DatasetSpec dataset : datasets) {
                for (String topic : List.of(dataset.source().topic(), dataset.silver().topic())) {
                    if (!keyed.contains(topic)) {
                        keyed.add(topic);
                    }
                }
            }
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
