package dev.sluice.app.kafka;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.sluice.app.dataset.LoadedDatasets;
import dev.sluice.embedded.Await;
import dev.sluice.embedded.EmbeddedPlatformExtension;
import dev.sluice.embedded.KafkaBroker;
import io.micronaut.configuration.kafka.streams.ConfiguredStreamBuilder;

/**
 * TopicInitializer connects with the streams' client settings, security included, not with the brokers' address
 * alone: on the embedded (plaintext) broker, a SASL login it is given must be tried, and fail, where the same
 * settings without it create the topics. (The embedded broker has no SASL listener, so the successful SCRAM login
 * itself is not exercised here.)
 */
@ExtendWith(EmbeddedPlatformExtension.class)
class TopicInitializerClientSettingsIT {

    /** The client settings are what this test is about; the dataset topics are DatasetTopicsTest's. */
    private static final LoadedDatasets NO_DATASETS = new LoadedDatasets(List.of(), "");

    @Test
    void usesTheStreamsSecuritySettings(KafkaBroker kafka) throws Exception {
        PipelineTopics topics = topics();
        Properties streams = settings(kafka);
        streams.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT");
        streams.put(SaslConfigs.SASL_MECHANISM, "SCRAM-SHA-512");
        streams.put(SaslConfigs.SASL_JAAS_CONFIG,
                "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"u\" password=\"p\";");

        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> new TopicInitializer(new ConfiguredStreamBuilder(streams), topics, NO_DATASETS, false, false));

        assertTrue(refused.getMessage().contains("cannot check or raise the partitions"), refused.getMessage());
        try (Admin admin = kafka.admin()) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            assertFalse(existing.contains(topics.getSilverOrders()), "nothing created over the wrong protocol");
        }
    }

    @Test
    void createsTheTopicsWithPlainSettings(KafkaBroker kafka) throws Exception {
        PipelineTopics topics = topics();

        new TopicInitializer(new ConfiguredStreamBuilder(settings(kafka)), topics, NO_DATASETS, false, false);

        try (Admin admin = kafka.admin()) {
            // Created by the controller; the broker's metadata, which listTopics reads, follows shortly after.
            Await.until("the topics of this run listed", Duration.ofSeconds(30), () -> admin.listTopics().names()
                    .get(30, TimeUnit.SECONDS).containsAll(List.of(topics.getSilverOrders(), topics.getUserEvents())));
        }
    }

    /** The settings Kafka Streams would get, with short client timeouts so that a failed login fails fast. */
    private static Properties settings(KafkaBroker kafka) {
        Properties streams = new Properties();
        streams.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        streams.put(StreamsConfig.APPLICATION_ID_CONFIG, "topic-initializer-it");
        streams.put(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000");
        streams.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, "3000");
        return streams;
    }

    /**
     * Two topic names of this run only; the others keep their default names and partition count, as the apps of
     * the other ITs on the shared broker expect them (PartitionGuard refuses fewer partitions than theirs).
     */
    private static PipelineTopics topics() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        PipelineTopics topics = new PipelineTopics();
        topics.setUserEvents("bronze.events.user_events.init-" + run);
        topics.setSilverOrders("silver.orders.init-" + run);
        return topics;
    }
}
