package dev.sluice.app.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.sluice.embedded.EmbeddedPlatformExtension;
import dev.sluice.embedded.KafkaBroker;

/** The topics streams-app creates carry their layer's retention on a real broker; compacted ones none. */
@ExtendWith(EmbeddedPlatformExtension.class)
class TopicRetentionIT {

    @Test
    void eachLayerGetsItsRetentionAndCompactedTopicsStayCompacted(KafkaBroker kafka) throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        // The default partition count: the topics this creates under their default names are shared with the apps
        // the other ITs start, which refuse keyed topics with fewer partitions than theirs (PartitionGuard).
        PipelineTopics topics = new PipelineTopics();
        topics.setUserEvents("bronze.events.user_events." + run);
        topics.setSilverOrders("silver.orders." + run);
        topics.setSilverCustomers("silver.customers." + run);
        topics.setGoldCustomerTotals("gold.customer_totals." + run);
        topics.getRetention().setBronze(Duration.ofDays(3));
        topics.getRetention().setSilver(Duration.ofDays(5));
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            Set<String> existingDeadLetters = admin.listTopics().names().get(30, TimeUnit.SECONDS).stream()
                    .filter(topics.deadLetter()::contains).collect(Collectors.toSet());

            TopicInitializer.create(kafka.bootstrapServers(), topics);

            Map<String, Config> configs = describe(admin, List.of(topics.getUserEvents(), topics.getSilverOrders(),
                    topics.getSilverCustomers(), topics.getGoldCustomerTotals()));
            assertEquals(Long.toString(Duration.ofDays(3).toMillis()), value(configs, topics.getUserEvents(),
                    TopicConfig.RETENTION_MS_CONFIG));
            assertEquals("delete", value(configs, topics.getUserEvents(), TopicConfig.CLEANUP_POLICY_CONFIG));
            assertEquals(Long.toString(Duration.ofDays(5).toMillis()), value(configs, topics.getSilverOrders(),
                    TopicConfig.RETENTION_MS_CONFIG));
            for (String compacted : List.of(topics.getSilverCustomers(), topics.getGoldCustomerTotals())) {
                assertEquals("compact", value(configs, compacted, TopicConfig.CLEANUP_POLICY_CONFIG), compacted);
                assertNotEquals(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG, configs.get(compacted)
                        .get(TopicConfig.RETENTION_MS_CONFIG).source(), compacted + " gets no retention.ms");
            }
            // Dead-letter topics have fixed names, shared by every test of the run: check those this call created.
            List<String> created = topics.deadLetter().stream().filter(t -> !existingDeadLetters.contains(t)).toList();
            Map<String, Config> deadLetters = describe(admin, created);
            for (String topic : created) {
                assertEquals(Long.toString(Duration.ofDays(30).toMillis()), value(deadLetters, topic,
                        TopicConfig.RETENTION_MS_CONFIG), topic);
            }
        }
    }

    private static Map<String, Config> describe(Admin admin, List<String> topics) throws Exception {
        Map<ConfigResource, Config> described = admin.describeConfigs(topics.stream()
                .map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList()).all().get(30, TimeUnit.SECONDS);
        return described.entrySet().stream().collect(Collectors.toMap(e -> e.getKey().name(), Map.Entry::getValue));
    }

    private static String value(Map<String, Config> configs, String topic, String key) {
        return configs.get(topic).get(key).value();
    }
}
