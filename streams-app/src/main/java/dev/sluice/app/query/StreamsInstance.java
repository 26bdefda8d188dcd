package dev.sluice.app.query;

import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micronaut.configuration.kafka.streams.ConfiguredStreamBuilder;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

/**
 * This instance of the Kafka Streams application and the configuration it runs with: its {@link KafkaStreams}, its
 * state, its {@code application.id} and {@code application.server}, and its client settings for the API's own
 * clients. Routing metadata is {@link StreamsMetadataService}'s, the admin client {@link StreamsAdmin}'s, the
 * layout of the stores {@link TopologyLayout}'s.
 */
@Requires(property = "kafka.enabled", notEquals = "false")
@Singleton
public class StreamsInstance {

    private static final Logger LOG = LoggerFactory.getLogger(StreamsInstance.class);

    private final KafkaStreams streams;
    private final Properties config;
    private final HostInfo self;

    public StreamsInstance(KafkaStreams streams, @Named("default") ConfiguredStreamBuilder builder) {
        this.streams = streams;
        this.config = builder.getConfiguration();
        String server = config.getProperty(StreamsConfig.APPLICATION_SERVER_CONFIG);
        this.self = server == null || server.isBlank() ? null : HostInfo.buildFromEndpoint(server.strip());
        if (self == null) {
            LOG.info("application.server not set: interactive queries answer from this instance only");
        }
    }

    public KafkaStreams streams() {
        return streams;
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    /** This instance's {@code application.server}; null when not configured (a single instance). */
    @Nullable
    public HostInfo self() {
        return self;
    }

    public String applicationId() {
        return config.getProperty(StreamsConfig.APPLICATION_ID_CONFIG);
    }

    /** Those of the streams' settings (connection and security) named in {@code names}, for the API's own clients. */
    public Map<String, Object> clientSettings(Set<String> names) {
        Map<String, Object> props = new HashMap<>();
        config.stringPropertyNames().stream().filter(names::contains)
                .forEach(name -> props.put(name, config.get(name)));
        return props;
    }
}
