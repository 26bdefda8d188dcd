package dev.sluice.app.status;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * One instance of the streams application.
 *
 * @param instance     its {@code application.server} ({@code local} when not configured)
 * @param self         whether it is the instance that answered this request
 * @param reachable    whether it answered
 * @param state        Kafka Streams state (CREATED, REBALANCING, RUNNING, PENDING_SHUTDOWN, NOT_RUNNING, ERROR)
 * @param error        why it could not be asked
 * @param threads      its stream threads with their tasks
 * @param stores       per gold store, the partitions it holds (active and standby)
 * @param recordsIn    records its decoding stages read (bronze, and silver for gold) since it started (attempts:
 *                     a retry counts again)
 * @param deadLetters  dead letters it has written since it started (attempts)
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
@Schema(name = "Instance")
public record InstanceView(String instance, boolean self, boolean reachable, @Nullable String state,
        @Nullable String error, List<ThreadView> threads, Map<String, StorePartitions> stores, double recordsIn,
        double deadLetters) {

    /**
     * A stream thread.
     *
     * @param name         thread name
     * @param state        thread state
     * @param activeTasks  ids of its active tasks ({@code <subtopology>_<partition>})
     * @param standbyTasks ids of its standby tasks
     */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @Schema(name = "InstanceThread")
    public record ThreadView(String name, String state, List<String> activeTasks, List<String> standbyTasks) {
    }

    /**
     * The partitions of a store an instance holds.
     *
     * @param active  partitions it serves
     * @param standby partitions it keeps a replica of
     */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @Schema(name = "InstanceStorePartitions")
    public record StorePartitions(List<Integer> active, List<Integer> standby) {
    }

    static InstanceView unreachable(String instance, String error) {
        return new InstanceView(instance, false, false, null, error, List.of(), Map.of(), 0, 0);
    }
}
