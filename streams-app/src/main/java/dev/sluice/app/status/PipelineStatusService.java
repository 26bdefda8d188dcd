package dev.sluice.app.status;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.TaskMetadata;
import org.apache.kafka.streams.ThreadMetadata;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.state.HostInfo;

import dev.sluice.app.compaction.CompactionRuns;
import dev.sluice.app.compaction.RunView;
import dev.sluice.app.dataset.restart.TopologyChanges;
import dev.sluice.app.freshness.FreshnessSettings;
import dev.sluice.app.freshness.FreshnessView;
import dev.sluice.app.metrics.PipelineMetrics;
import dev.sluice.app.query.GoldStore;
import dev.sluice.app.query.InstanceClient;
import dev.sluice.app.query.StreamsInstance;
import dev.sluice.app.query.StreamsMetadataService;
import dev.sluice.app.query.TopologyLayout;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;

/**
 * Puts the pipeline status together: this instance from its own metadata, the others by asking each for its own
 * view (in parallel, each bounded in time), lag, dead letters, connectors and compaction. What asks the other
 * instances, the Kafka admin API or Kafka Connect is shared by concurrent requests and reused for
 * {@code sluice.status.cache-ttl} (1 s), each counted in {@value PipelineMetrics#STATUS_CALLS}. Failed connector
 * tasks carry what the connector restarter ({@link AutoRestarts}) did about them.
 */
@Requires(property = "kafka.enabled", notEquals = "false")
@Singleton
public class PipelineStatusService {

    private static final long CONNECT_WAIT_SECONDS = 3;

    private final StreamsInstance instance;
    private final StreamsMetadataService metadata;
    private final TopologyLayout layout;
    private final InstanceClient client;
    private final JsonMapper json;
    private final DeadLetterMonitor deadLetters;
    private final ConnectorsCall connectorsCall;
    @Nullable
    private final AutoRestarts restarter;
    private final CompactionRuns compaction;
    private final PipelineMetrics metrics;
    private final FreshnessSettings freshness;
    private final TopologyChanges datasets;
    private final Duration cacheTtl;
    private final Clock clock;
    private final SharedComputation<List<InstanceView>> sharedInstances;
    private final SharedComputation<ConsumerLag.LagView> sharedLag;

    public PipelineStatusService(StreamsInstance instance, StreamsMetadataService metadata, TopologyLayout layout,
            InstanceClient client, JsonMapper json, ConsumerLag lag,
            @Nullable DeadLetterMonitor deadLetters, ConnectorsCall connectorsCall,
            @Nullable AutoRestarts restarter, CompactionRuns compaction, PipelineMetrics metrics,
            StatusSettings settings, FreshnessSettings freshness, TopologyChanges datasets, Clock clock) {
        this.instance = instance;
        this.metadata = metadata;
        this.layout = layout;
        this.client = client;
        this.json = json;
        this.deadLetters = deadLetters;
        this.connectorsCall = connectorsCall;
        this.restarter = restarter;
        this.compaction = compaction;
        this.metrics = metrics;
        this.freshness = freshness;
        this.datasets = datasets;
        this.cacheTtl = settings.getCacheTtl();
        this.clock = clock;
        this.sharedInstances = new SharedComputation<>(() -> {
            metrics.statusCall("instances");
            return askInstances();
        }, cacheTtl, clock);
        this.sharedLag = new SharedComputation<>(() -> {
            metrics.statusCall("lag");
            return lag.lag();
        }, cacheTtl, clock);
    }

    public PipelineStatus status() {
        CompletableFuture<PipelineStatus.Connectors> connect = connectorsCall.current();
        List<InstanceView> instances = instances();
        ConsumerLag.LagView lags = lag();
        return new PipelineStatus(instance.applicationId(), clock.instant().toString(), instances, lags,
                deadLetters == null ? null : deadLetters.counts(), connectors(connect), compaction(),
                FreshnessView.of(metrics.freshness().readings(), freshness), datasets.state());
    }

    /** Consumer lag from the Kafka admin API, shared and reused for the cache TTL. */
    public ConsumerLag.LagView lag() {
        return sharedLag.get();
    }

    /** This instance, from its own metadata. */
    public InstanceView self() {
        List<InstanceView.ThreadView> threads = new ArrayList<>();
        Map<Integer, Set<Integer>> active = new TreeMap<>();
        Map<Integer, Set<Integer>> standby = new TreeMap<>();
        Set<ThreadMetadata> local;
        try {
            local = instance.streams().metadataForLocalThreads();
        } catch (IllegalStateException e) {
            local = Set.of();
        }
        for (ThreadMetadata thread : local) {
            threads.add(new InstanceView.ThreadView(thread.threadName(), thread.threadState(),
                    tasks(thread.activeTasks(), active), tasks(thread.standbyTasks(), standby)));
        }
        Map<String, InstanceView.StorePartitions> stores = new LinkedHashMap<>();
        for (GoldStore store : GoldStore.values()) {
            int subtopology = layout.of(store).subtopology();
            stores.put(store.storeName(), new InstanceView.StorePartitions(
                    List.copyOf(active.getOrDefault(subtopology, Set.of())),
                    List.copyOf(standby.getOrDefault(subtopology, Set.of()))));
        }
        return new InstanceView(name(instance.self()), true, true, instance.state().name(), null, threads, stores,
                metrics.sum(PipelineMetrics.IN, "stage", "deserialize"), metrics.sum(PipelineMetrics.DLQ));
    }

    /** Every instance: this one, and each other one as it describes itself; shared and reused for the cache TTL. */
    public List<InstanceView> instances() {
        return sharedInstances.get();
    }

    private List<InstanceView> askInstances() {
        HostInfo self = instance.self();
        Map<String, CompletableFuture<InstanceView>> others = new TreeMap<>();
        for (StreamsMetadata other : metadata.instances()) {
            HostInfo host = other.hostInfo();
            if (self != null && !host.equals(self)) {
                others.put(name(host), client.getAsync(host, "/api/status/instance", name(self), Map.of())
                        .thenApply(answer -> answer.status() == 200 ? read(answer.body())
                                : InstanceView.unreachable(name(host), "answered " + answer.status())));
            }
        }
        List<InstanceView> all = new ArrayList<>();
        all.add(self());
        others.forEach((name, future) -> {
            try {
                InstanceView view = future.join();
                all.add(new InstanceView(view.instance(), false, view.reachable(), view.state(), view.error(),
                        view.threads(), view.stores(), view.recordsIn(), view.deadLetters()));
            } catch (CompletionException e) {
                all.add(InstanceView.unreachable(name, String.valueOf(e.getCause() == null ? e
                        : e.getCause().getMessage())));
            }
        });
        return all;
    }

    private InstanceView read(byte[] body) {
        try {
            return json.readValue(body, InstanceView.class);
        } catch (IOException e) {
            throw new CompletionException(e);
        }
    }

    /**
     * The connectors as the shared call got them, each failed task with this instance's automatic restarts of it;
     * waits for Connect no longer than {@value #CONNECT_WAIT_SECONDS} s.
     */
    private PipelineStatus.Connectors connectors(CompletableFuture<PipelineStatus.Connectors> connect) {
        try {
            PipelineStatus.Connectors connectors = connect.get(CONNECT_WAIT_SECONDS, TimeUnit.SECONDS);
            if (restarter == null) {
                return new PipelineStatus.Connectors(true, null, connectors.items(),
                        PipelineStatus.AutoRestart.OFF);
            }
            return new PipelineStatus.Connectors(true, null, connectors.items().stream()
                    .map(c -> c.withTaskRestarts(task -> restarter.restarts(c.name(), task).orElse(null)))
                    .toList(), restarter.view());
        } catch (TimeoutException e) {
            return new PipelineStatus.Connectors(false, "Kafka Connect did not answer within "
                    + CONNECT_WAIT_SECONDS + " s", List.of(), autoRestart());
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            return new PipelineStatus.Connectors(false, "Kafka Connect unavailable: " + cause.getMessage(),
                    List.of(), autoRestart());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new PipelineStatus.Connectors(false, "interrupted", List.of(), autoRestart());
        }
    }

    private PipelineStatus.AutoRestart autoRestart() {
        return restarter == null ? PipelineStatus.AutoRestart.OFF : restarter.view();
    }

    private PipelineStatus.Compaction compaction() {
        if (!compaction.enabled()) {
            return new PipelineStatus.Compaction(false, null, null, null, null, null);
        }
        RunView last = compaction.lastFinished().orElse(null);
        return new PipelineStatus.Compaction(true, compaction.running().map(RunView::id).orElse(null),
                last == null ? null : last.id(), last == null ? null : last.status().name(),
                last == null || last.finishedAt() == null ? null : last.finishedAt().toString(),
                last == null ? null : last.error());
    }

    private static List<String> tasks(Set<TaskMetadata> tasks, Map<Integer, Set<Integer>> bySubtopology) {
        Set<String> ids = new TreeSet<>();
        for (TaskMetadata task : tasks) {
            TaskId id = task.taskId();
            ids.add(id.toString());
            bySubtopology.computeIfAbsent(id.subtopology(), s -> new TreeSet<>()).add(id.partition());
        }
        return List.copyOf(ids);
    }

    static String name(@Nullable HostInfo host) {
        return host == null ? "local" : InstanceClient.authority(host);
    }
}
