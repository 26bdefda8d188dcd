package dev.sluice.app.topology;

import org.apache.kafka.streams.kstream.KStream;

import dev.sluice.app.kafka.TopicInitializer;
import io.micronaut.configuration.kafka.streams.ConfiguredStreamBuilder;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

/**
 * Runtime wiring of the topology into Micronaut's Kafka Streams support. Topology construction itself lives in
 * {@link SluiceTopology}.
 */
@Factory
public class TopologyFactory {

    /**
     * Builds the topology of the {@code default} streams configuration. Depends on {@link TopicInitializer} so
     * that every topic exists before the streams start.
     */
    @Singleton
    @Named("sluice")
    KStream<?, ?> sluiceTopology(@Named("default") ConfiguredStreamBuilder builder, PipelineTopics topics,
            TopicInitializer topicsReady) {
        return new SluiceTopology(topics).build(builder);
    }
}
