package dev.sluice.app.placement;

import org.apache.kafka.streams.ThreadMetadata;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.processor.TaskId;

import dev.sluice.app.query.StreamsInstance;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;

/**
 * Which instance does the chores that concern the whole deployment once (restarting connector tasks, notifying
 * cluster-wide alerts, reading the lake sinks' freshness): the one whose Kafka Streams client holds partition 0 of the
 * first stream sub-topology as an active task. The global stores' sub-topologies have no tasks, and exactly one
 * instance holds that task once a rebalance has settled, so no election is needed; during a rebalance nobody leads for
 * a moment.
 */
@Singleton
@Requires(property = "kafka.enabled", notEquals = "false")
public class Leadership {

    private final StreamsInstance instance;
    private final TopologyDescription topology;

    public Leadership(StreamsInstance instance, TopologyDescription topology) {
        this.instance = instance;
        this.topology = topology;
    }

    /** Whether this instance leads now. */
    public boolean isLeader() {
        TaskId leaderTask = new TaskId(topology.subtopologies().stream()
                .mapToInt(TopologyDescription.Subtopology::id).min().orElse(0), 0);
        try {
            for (ThreadMetadata thread : instance.streams().metadataForLocalThreads()) {
                if (thread.activeTasks().stream().anyMatch(t -> leaderTask.equals(t.taskId()))) {
                    return true;
                }
            }
        } catch (IllegalStateException e) {
            // Not running (starting, rebalancing or closing): not leading now.
        }
        return false;
    }
}
