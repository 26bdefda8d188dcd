package dev.sluice.app.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
import org.junit.jupiter.api.Test;

import dev.sluice.app.query.TopologyLayout.StoreLayout;
import dev.sluice.app.testing.PipelineDriver;

/** Where the stores sit, worked out from a topology's description alone. */
class TopologyLayoutTest {

    @Test
    void eachStoreSitsInItsSubTopologyWithThatSubTopologysSourceTopics() {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream("a").groupByKey().count(Materialized.as("counts-a"));
        builder.<String, String>stream("b").map((k, v) -> KeyValue.pair(v, k))
                .groupByKey(Grouped.as("by-value")).count(Materialized.as("counts-b"));

        TopologyLayout layout = new TopologyLayout(builder.build().describe());

        assertEquals(Map.of("counts-a", new StoreLayout(0, Set.of("a")),
                "counts-b", new StoreLayout(2, Set.of("by-value-repartition"))), layout.stores(),
                "a store behind a repartition is read from that topic, named as the description names it");
    }

    @Test
    void everyGoldStoreOfTheSluiceTopologyHasALayoutAndAStoreNotInItIsAnError() {
        try (PipelineDriver pipeline = PipelineDriver.start()) {
            TopologyDescription description = pipeline.topology().describe();
            TopologyLayout layout = new TopologyLayout(description);
            for (GoldStore store : GoldStore.values()) {
                StoreLayout where = layout.of(store);
                TopologyDescription.Subtopology sub = description.subtopologies().stream()
                        .filter(s -> s.id() == where.subtopology()).findFirst().orElseThrow();
                assertTrue(sub.nodes().stream().anyMatch(node -> node instanceof TopologyDescription.Processor p
                        && p.stores().contains(store.storeName())), store + " is held by its sub-topology");
                assertFalse(where.sourceTopics().isEmpty(), store + " has the topics its tasks read");
            }
        }
        TopologyLayout empty = new TopologyLayout(new StreamsBuilder().build().describe());
        IllegalStateException missing = assertThrows(IllegalStateException.class,
                () -> empty.of(GoldStore.values()[0]));
        assertTrue(missing.getMessage().contains(GoldStore.values()[0].storeName()), missing.getMessage());
    }
}
