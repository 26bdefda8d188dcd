package dev.sluice.app.topology;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Produced;

/**
 * Builds the Sluice topology onto a {@link StreamsBuilder}. Pure construction, no runtime wiring: the app's
 * {@link TopologyFactory} and the TopologyTestDriver tests call the same method.
 *
 * <p>Until the validate/enrich/aggregate stages land, user events pass through to silver unchanged, bytes and
 * headers intact.
 */
public final class SluiceTopology {

    private final PipelineTopics topics;

    public SluiceTopology(PipelineTopics topics) {
        this.topics = topics;
    }

    /** Adds the topology to {@code builder} and returns its first stream (Micronaut wants one as a bean). */
    public KStream<byte[], byte[]> build(StreamsBuilder builder) {
        KStream<byte[], byte[]> userEvents = builder.stream(topics.getUserEvents(),
                Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("user-events-source"));
        userEvents.to(topics.getSilverUserEvents(), Produced.with(Serdes.ByteArray(), Serdes.ByteArray())
                .withName("silver-user-events-sink"));
        return userEvents;
    }
}
