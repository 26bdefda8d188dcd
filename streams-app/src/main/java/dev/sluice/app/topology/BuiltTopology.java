package dev.sluice.app.topology;

import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.kstream.KStream;

/**
 * The topology {@link TopologyFactory} built on the streams builder: the stream Micronaut waits for before it starts
 * Kafka Streams, and the description of the very topology Kafka Streams then runs.
 */
public record BuiltTopology(KStream<?, ?> stream, TopologyDescription description) {
}
