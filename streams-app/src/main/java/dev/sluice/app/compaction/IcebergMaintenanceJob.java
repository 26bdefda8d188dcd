package dev.sluice.app.compaction;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.sluice.app.placement.Leadership;
import dev.sluice.lake.iceberg.IcebergMaintenance;
import dev.sluice.lake.iceberg.IcebergMaintenanceSettings;
import dev.sluice.lake.iceberg.PartitionRetention;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.TaskScheduler;
import io.micronaut.scheduling.cron.CronExpression;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Named;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a maintenance pass over the lake's Iceberg tables (retention of whole hours by zone, compaction of closed
 * hours, snapshot expiry, orphan removal) at every time {@code sluice.iceberg-maintenance.cron} names, on the leading
 * instance only: Iceberg's optimistic commits would keep two instances from corrupting a table, but one of them
 * would only redo the other's work. Whole hours go by the Parquet lake's zone retention when it is enabled and not
 * dry ({@code IcebergRetentionBeans}). Each pass is remembered and counted ({@link IcebergMaintenancePasses}).
 * Created at start-up, so missing or invalid settings stop the service with a message naming the key.
 */
@Context
@Requires(property = "sluice.iceberg-maintenance.enabled", value = "true")
public class IcebergMaintenanceJob {

    private static final Logger LOG = LoggerFactory.getLogger(IcebergMaintenanceJob.class);
    private static final String KEY = "sluice.iceberg-maintenance.";

    private final Leadership leadership;
    private final IcebergCatalogAccess catalog;
    private final IcebergMaintenancePasses passes;
    private final IcebergMaintenanceSettings settings;
    /** Null when retention is off or dry: no hour is deleted. */
    private final PartitionRetention hours;
    private final Clock clock;
    private final ScheduledFuture<?> scheduled;
    private final AtomicBoolean running = new AtomicBoolean();

    public IcebergMaintenanceJob(IcebergMaintenanceConfiguration configuration, IcebergCatalogAccess catalog,
            IcebergMaintenancePasses passes, @Nullable PartitionRetention hours, Leadership leadership, Clock clock,
            @Named(TaskExecutors.SCHEDULED) TaskScheduler scheduler) {
        this.leadership = leadership;
        this.catalog = catalog;
        this.passes = passes;
        this.clock = clock;
        this.settings = settings(configuration);
        this.hours = hours;
        String cron = configuration.getCron() == null ? "" : configuration.getCron().strip();
        try {
            CronExpression.create(cron).nextTimeAfter(ZonedDateTime.now(ZoneOffset.UTC));
        } catch (RuntimeException e) {
            throw new ConfigurationException(KEY + "cron '" + cron + "' is not a cron expression (sec min hour "
                    + "day-of-month month day-of-week): " + e.getMessage());
        }
        this.scheduled = scheduler.schedule(cron, ZoneOffset.UTC.getId(), this::pass);
        LOG.info("iceberg maintenance scheduled cron='{}' catalog={} warehouse={} retention={}", cron,
                configuration.getCatalogUri(), configuration.getWarehouse(),
                hours == null ? "off" : "by zone");
    }

    /**
     * One pass over every table, if this instance leads and no pass is running; one line per pass, no stack trace.
     * A pass still running at the next scheduled time is not waited for: a blocked thread of the shared scheduler
     * would hold back the other scheduled work of the service.
     */
    void pass() {
        if (!leadership.isLeader() || !running.compareAndSet(false, true)) {
            return;
        }
        try {
            runPass();
        } finally {
            running.set(false);
        }
    }

    private void runPass() {
        Instant started = clock.instant();
        try {
            List<IcebergMaintenance.TableReport> reports = new IcebergMaintenance(catalog.catalog(), settings, hours,
                    clock).run();
            IcebergMaintenancePass pass = passes.succeeded(started, clock.instant(), reports);
            LOG.info("iceberg maintenance pass done id={} tables={} retired_files={} files_rewritten={}"
                    + " snapshots_expired={} orphans_deleted={}", pass.id(), pass.tables(), pass.retiredFiles(),
                    pass.filesRewritten(), pass.snapshotsExpired(), pass.orphansDeleted());
        } catch (RuntimeException e) {
            IcebergMaintenancePass pass = passes.failed(started, clock.instant(), e.toString());
            LOG.warn("iceberg maintenance pass failed id={}, next at the next scheduled time: {}", pass.id(),
                    e.toString());
        }
    }

    static IcebergMaintenanceSettings settings(IcebergMaintenanceConfiguration c) {
        try {
            return new IcebergMaintenanceSettings(c.getClosedDelay(), c.getMinInputFiles(), c.getTargetFileSize(),
                    c.getSnapshotMaxAge(), c.getMinSnapshots(), c.getOrphanMinAge());
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new ConfigurationException(KEY + e.getMessage());
        }
    }

    @PreDestroy
    void close() {
        scheduled.cancel(false);
    }
}
