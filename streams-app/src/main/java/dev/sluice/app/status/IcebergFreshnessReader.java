package dev.sluice.app.status;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.sluice.app.compaction.IcebergCatalogAccess;
import dev.sluice.app.freshness.FreshnessMetrics;
import dev.sluice.app.freshness.FreshnessSettings;
import dev.sluice.app.freshness.Layer;
import dev.sluice.app.metrics.PipelineMetrics;
import dev.sluice.app.placement.Leadership;
import dev.sluice.lake.iceberg.SinkCommits;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.TaskScheduler;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Named;

/**
 * The lake layer of {@link FreshnessMetrics} for the lake's Iceberg tables, as {@link LakeFreshnessReader} is for the
 * Parquet sinks' commit marks: every {@code sluice.freshness.lake-interval} the {@link Leadership leader} reads the
 * tables' new sink commits (snapshots, {@link SinkCommits}) through the catalog maintenance uses, and measures each
 * once: its table's dataset at layer {@code lake}, from the earliest record time of its files to the commit. One
 * measurement per table and commit, each commit's worst latency. Commits older than the status window when this
 * instance started to lead are skipped. Only when Iceberg maintenance is on, which is what names the catalog.
 */
@Context
@Requires(property = "kafka.enabled", notEquals = "false")
@Requires(property = "sluice.iceberg-maintenance.enabled", value = "true")
public class IcebergFreshnessReader {

    private static final Logger LOG = LoggerFactory.getLogger(IcebergFreshnessReader.class);

    private final IcebergCatalogAccess catalog;
    private final Leadership leadership;
    private final FreshnessMetrics freshness;
    private final ScheduledFuture<?> scheduled;
    /** The last commit measured per table, epoch milliseconds. */
    private final Map<String, Long> measured = new HashMap<>();
    private boolean leading;
    private boolean failing;

    public IcebergFreshnessReader(IcebergCatalogAccess catalog, Leadership leadership, PipelineMetrics metrics,
            FreshnessSettings settings, @Named(TaskExecutors.SCHEDULED) TaskScheduler scheduler) {
        this.catalog = catalog;
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
            long notBefore = freshness.now() - FreshnessMetrics.WINDOW.toMillis();
            for (SinkCommits.Commit commit : new SinkCommits(catalog.catalog()).after(measured, notBefore)) {
                commit.oldestRecordMillis().ifPresent(oldest -> freshness.record(Layer.LAKE,
                        FreshnessMetrics.datasetOf(commit.table()), oldest, commit.committedAtMillis()));
                measured.merge(commit.table(), commit.committedAtMillis(), Math::max);
            }
            if (failing) {
                LOG.info("lake freshness: the Iceberg tables' commits can be read again");
                failing = false;
            }
        } catch (RuntimeException e) {
            // The scheduler would drop a task that throws; one line per outage, not per poll.
            if (!failing) {
                LOG.warn("lake freshness: cannot read the Iceberg tables' commits, their lake layer goes stale: {}",
                        e.toString());
                failing = true;
            }
        }
    }

    @PreDestroy
    void cancel() {
        scheduled.cancel(false);
    }
}
