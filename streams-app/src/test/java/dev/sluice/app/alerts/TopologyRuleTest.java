package dev.sluice.app.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.sluice.app.query.StreamsInstance;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micronaut.configuration.kafka.streams.ConfiguredStreamBuilder;

/**
 * topology-not-running over a real {@link KafkaStreams} that is not started (CREATED), then closed (NOT_RUNNING);
 * nothing here connects to a broker. The RUNNING case needs one: {@code KafkaAlertRulesIT}.
 */
class TopologyRuleTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path stateDir;

    @Test
    void firesNamingTheStateWhileKafkaStreamsIsNotRunning() {
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "topology-rule-test");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9");
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        ConfiguredStreamBuilder builder = new ConfiguredStreamBuilder(config);
        builder.stream("in").to("out");
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (KafkaStreams streams = new KafkaStreams(builder.build(), config)) {
            TopologyRule rule = new TopologyRule(new StreamsInstance(streams, builder), new ExportedReadings(registry));

            List<Finding> created = rule.check(T0);
            assertEquals(List.of(new Finding(Map.of(), "Kafka Streams is CREATED")), created, "not started yet");
            assertEquals(0.0, registry.get("sluice.streams.running").gauge().value());

            streams.close(Duration.ofSeconds(10));
            assertEquals(List.of(new Finding(Map.of(), "Kafka Streams is NOT_RUNNING")), rule.check(T0));
            assertEquals(0.0, registry.get("sluice.streams.running").gauge().value());
        }
    }
}
