package dev.sluice.app.query;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.apache.kafka.streams.TopologyDescription;

import jakarta.inject.Singleton;

/**
 * Where each state store sits in the running topology: the sub-topology whose tasks hold it and the topics those
 * tasks read. Worked out once from the {@link TopologyDescription} the topology factory publishes; no Kafka call.
 */
@Singleton
public final class TopologyLayout {

    /**
     * Where a store sits in the topology.
     *
     * @param subtopology  the sub-topology whose tasks hold it (task ids {@code <subtopology>_<partition>})
     * @param sourceTopics the topics those tasks read, as the description names them
     */
    public record StoreLayout(int subtopology, Set<String> sourceTopics) {
    }

    private final Map<String, StoreLayout> stores;

    public TopologyLayout(TopologyDescription description) {
        Map<String, StoreLayout> layouts = new HashMap<>();
        for (TopologyDescription.Subtopology subtopology : description.subtopologies()) {
            Set<String> sources = new TreeSet<>();
            Set<String> names = new TreeSet<>();
            for (TopologyDescription.Node node : subtopology.nodes()) {
                if (node instanceof TopologyDescription.Source source && source.topicSet() != null) {
                    sources.addAll(source.topicSet());
                } else if (node instanceof TopologyDescription.Processor processor) {
                    names.addAll(processor.stores());
                }
            }
            for (String store : names) {
                layouts.put(store, new StoreLayout(subtopology.id(), Set.copyOf(sources)));
            }
        }
        this.stores = Map.copyOf(layouts);
    }

    /** Every state store of the sub-topologies (global stores are not in a task) by name. */
    public Map<String, StoreLayout> stores() {
        return stores;
    }

    /** The layout of one gold store. */
    public StoreLayout of(GoldStore store) {
        StoreLayout layout = stores.get(store.storeName());
        if (layout == null) {
            throw new IllegalStateException("store " + store.storeName() + " is not in the topology");
        }
        return layout;
    }
}
