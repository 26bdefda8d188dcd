package dev.sluice.app.status;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.sluice.app.connect.ConnectorView;
import dev.sluice.app.freshness.FreshnessMetrics;
import dev.sluice.app.freshness.FreshnessSettings;
import dev.sluice.app.freshness.Layer;
import dev.sluice.app.metrics.PipelineMetrics;
import dev.sluice.app.placement.Leadership;
import dev.sluice.app.query.StreamsAdmin;
import dev.sluice.lake.LakeCommitMark;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.TaskScheduler;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Named;

/**
 * The lake layer of {@link FreshnessMetrics}: every {@code sluice.freshness.lake-interval} the {@link Leadership
 * leader} reads the committed offsets of every sink connector's consumer group, and each partition whose
 * {@link LakeCommitMark} names a publication it has not seen yet is measured once: its dataset at layer {@code lake},
 * the largest latency from a record's source time to the publication of its file. One measurement per partition
 * and commit, not per record: the histogram of the lake counts commits, and its latency is each commit's worst.
 * Only the leader reads, so a deployment of several instances measures each commit once. Commits older than the
 * status window when this instance started to lead say nothing about now and are skipped.
 */
@Context
@Requires(property = "kafka.enabled", notEquals = "false")
public class LakeFreshnessReader {

    private static final Logger LOG = LoggerFactory.getLogger(LakeFreshnessReader.class);
    private static final long TIMEOUT_SECONDS = 5;

    private final ConnectorsCall connectors;
    private final StreamsAdmin admin;
    private final Leadership leadership;
    private final FreshnessMetrics freshness;
    private final ScheduledFuture<?> scheduled;
    /** The last publication measured per sink partition, epoch milliseconds. */
    private final Map<TopicPartition, Long> measured = new HashMap<>();
    private boolean leading;
    private boolean failing;

    public LakeFreshnessReader(ConnectorsCall connectors, StreamsAdmin admin, Leadership leadership,
            PipelineMetrics metrics, FreshnessSettings settings,
            @Named(TaskExecutors.SCHEDULED) TaskScheduler scheduler) {
        this.connectors = connectors;
        this.admin = admin;
        this.leadership = leadership;
        this.freshness = metrics.freshness();
        Duration interval = settings.lakeInterval();
        this.scheduled = scheduler.scheduleWithFixedDelay(interval, interval, this::poll);
    }

    /** One reading now; what the scheduler runs. */
    public synchronized void poll() {
        if (!leadership.isLeader()) {
            leading = false;
            return;
        }
        if (!leading) {
            // Led by another instance meanwhile: what this one measured before may since have been measured there.
            measured.clear();
            leading = true;
        }
        try {
            for (ConnectorView connector : currentConnectors()) {
                if ("sink".equals(connector.type())) {
                    read("connect-" + connector.name());
                }
            }
            if (failing) {
                LOG.info("lake freshness: the sinks' commits can be read again");
                failing = false;
            }
        } catch (RuntimeException e) {
            // The scheduler would drop a task that throws; one line per outage, not per poll.
            if (!failing) {
                LOG.warn("lake freshness: cannot read the sinks' commits, the lake layer goes stale: {}",
                        e.getMessage());
                failing = true;
            }
        }
    }

    private void read(String group) {
        long notBefore = freshness.now() - FreshnessMetrics.WINDOW.toMillis();
        for (Map.Entry<TopicPartition, OffsetAndMetadata> entry : committed(group).entrySet()) {
            if (entry.getValue() == null) {
                continue;
            }
            TopicPartition tp = entry.getKey();
            LakeCommitMark.parse(entry.getValue().metadata()).ifPresent(mark -> {
                long last = measured.getOrDefault(tp, notBefore);
                if (mark.publishedAt() > last) {
                    freshness.record(Layer.LAKE, FreshnessMetrics.datasetOf(tp.topic()),
                            mark.publishedAt() - mark.maxLatencyMillis(), mark.publishedAt());
                    measured.put(tp, mark.publishedAt());
                }
            });
        }
    }

    /** The connectors, from the status API's shared and cached call rather than a Connect round of its own. */
    private List<ConnectorView> currentConnectors() {
        try {
            return connectors.current().get(TIMEOUT_SECONDS, TimeUnit.SECONDS).items();
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new IllegalStateException("Kafka Connect: " + cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }

    private Map<TopicPartition, OffsetAndMetadata> committed(String group) {
        try {
            return admin.admin().listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                    .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new IllegalStateException("offsets of group " + group + ": " + cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }

    @PreDestroy
    void cancel() {
        scheduled.cancel(false);
    }
}
