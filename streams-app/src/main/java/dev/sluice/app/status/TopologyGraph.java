package dev.sluice.app.status;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.apache.kafka.streams.TopologyDescription;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.sluice.app.failure.Stage;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The topology as a graph, from {@code Topology#describe()}: its sources, processors and sinks, the state stores
 * the processors use, and the topics that connect sub-topologies (a sink writes a topic another sub-topology's
 * source reads), so that the whole pipeline is one connected picture.
 *
 * @param subtopologies the sub-topologies (global ones for the reference tables included)
 * @param nodes         every node
 * @param edges         every edge
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
@Schema(name = "TopologyGraph")
public record TopologyGraph(List<Subtopology> subtopologies, List<Node> nodes, List<Edge> edges) {

    /**
     * A sub-topology: the unit of tasks (one task per partition).
     *
     * @param id     its id (the first number of its task ids); global ones are numbered too
     * @param global whether it loads a global store (every instance runs all of it)
     * @param nodes  how many nodes it has
     */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @Schema(name = "TopologySubtopology")
    public record Subtopology(int id, boolean global, int nodes) {
    }

    /**
     * A node.
     *
     * @param id          unique id: the processor name, or {@code store:<name>}, {@code topic:<name>}
     * @param type        source, processor, sink, store or topic
     * @param name        name of the processor, store or topic
     * @param subtopology the sub-topology it belongs to; null for topics
     * @param stage       the pipeline stage of a source, processor or sink (deserialize, validate, ...)
     * @param detail      topics of a source or sink, stores of a processor; a sink's topic chooser when dynamic
     */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @Schema(name = "TopologyNode")
    public record Node(String id, String type, String name, @Nullable Integer subtopology, @Nullable String stage,
            List<String> detail) {
    }

    /**
     * An edge.
     *
     * @param from id of the upstream node
     * @param to   id of the downstream node
     * @param kind flow (record forwarding), store (a processor uses the store) or topic (written to / read from)
     */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @Schema(name = "TopologyEdge")
    public record Edge(String from, String to, String kind) {
    }

    /** The graph of {@code description}; internal topics keep the names the description gives them. */
    public static TopologyGraph of(TopologyDescription description) {
        Builder graph = new Builder();
        for (TopologyDescription.Subtopology subtopology : description.subtopologies()) {
            graph.subtopologies.add(new Subtopology(subtopology.id(), false, subtopology.nodes().size()));
            for (TopologyDescription.Node node : subtopology.nodes()) {
                graph.node(node, subtopology.id());
            }
        }
        for (TopologyDescription.GlobalStore global : description.globalStores()) {
            graph.subtopologies.add(new Subtopology(global.id(), true, 2));
            graph.node(global.source(), global.id());
            graph.node(global.processor(), global.id());
        }
        return new TopologyGraph(List.copyOf(graph.subtopologies), List.copyOf(graph.nodes.values()),
                List.copyOf(graph.edges));
    }

    private static final class Builder {
        private final List<Subtopology> subtopologies = new ArrayList<>();
        private final Map<String, Node> nodes = new LinkedHashMap<>();
        private final Set<Edge> edgeSet = new java.util.HashSet<>();
        private final List<Edge> edges = new ArrayList<>();

        void node(TopologyDescription.Node node, int subtopology) {
            String stage = Stage.ofNode(node.name()).id();
            if (node instanceof TopologyDescription.Source source) {
                List<String> topics = source.topicSet() != null ? List.copyOf(new TreeSet<>(source.topicSet()))
                        : List.of(String.valueOf(source.topicPattern()));
                nodes.put(node.name(), new Node(node.name(), "source", node.name(), subtopology, stage, topics));
                for (String topic : topics) {
                    topic(topic);
                    edge("topic:" + topic, node.name(), "topic");
                }
            } else if (node instanceof TopologyDescription.Sink sink) {
                List<String> detail = sink.topic() != null ? List.of(sink.topic())
                        : List.of("(chosen per record by " + sink.topicNameExtractor().getClass().getSimpleName()
                                + ")");
                nodes.put(node.name(), new Node(node.name(), "sink", node.name(), subtopology, stage, detail));
                if (sink.topic() != null) {
                    topic(sink.topic());
                    edge(node.name(), "topic:" + sink.topic(), "topic");
                }
            } else if (node instanceof TopologyDescription.Processor processor) {
                List<String> stores = List.copyOf(new TreeSet<>(processor.stores()));
                nodes.put(node.name(), new Node(node.name(), "processor", node.name(), subtopology, stage, stores));
                for (String store : stores) {
                    nodes.putIfAbsent("store:" + store, new Node("store:" + store, "store", store, subtopology, null,
                            List.of()));
                    edge(node.name(), "store:" + store, "store");
                }
            }
            for (TopologyDescription.Node successor : node.successors()) {
                edge(node.name(), successor.name(), "flow");
            }
        }

        void topic(String topic) {
            nodes.putIfAbsent("topic:" + topic, new Node("topic:" + topic, "topic", topic, null, null, List.of()));
        }

        void edge(String from, String to, String kind) {
            Edge edge = new Edge(from, to, kind);
            if (edgeSet.add(edge)) {
                edges.add(edge);
            }
        }
    }
}
