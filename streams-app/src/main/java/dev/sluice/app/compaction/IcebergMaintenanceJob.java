package dev.sluice.app.compaction;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.concurrent.ScheduledFuture;

import dev.sluice.app.placement.Leadership;
import dev.sluice.lake.iceberg.IcebergCatalogSettings;
import dev.sluice.lake.iceberg.IcebergMaintenance;
import dev.sluice.lake.iceberg.IcebergMaintenanceSettings;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.TaskScheduler;
import io.micronaut.scheduling.cron.CronExpression;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Named;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a maintenance pass over the lake's Iceberg tables (compaction of closed hours, snapshot expiry, orphan
 * removal) at every time {@code sluice.iceberg-maintenance.cron} names, on the leading instance only: Iceberg's
 * optimistic commits would keep two instances from corrupting a table, but one of them would only redo the other's
 * work. Created at start-up, so missing or invalid settings stop the service with a message naming the key.
 */
@Context
@Requires(property = "sluice.iceberg-maintenance.enabled", value = "true")
public class IcebergMaintenanceJob {

    private static final Logger LOG = LoggerFactory.getLogger(IcebergMaintenanceJob.class);
    private static final String KEY = "sluice.iceberg-maintenance.";

    private final Leadership leadership;
    private final IcebergCatalogSettings catalogSettings;
    private final IcebergMaintenanceSettings settings;
    private final Clock clock;
    private final ScheduledFuture<?> scheduled;
    /** Opened at the first pass, not at start: the catalog database may not be reachable yet, or being set up. */
    private JdbcCatalog catalog;

    public IcebergMaintenanceJob(IcebergMaintenanceConfiguration configuration, CompactionConfiguration compaction,
            Leadership leadership, Clock clock, @Named(TaskExecutors.SCHEDULED) TaskScheduler scheduler) {
        this.leadership = leadership;
        this.clock = clock;
        this.settings = settings(configuration);
        String cron = configuration.getCron() == null ? "" : configuration.getCron().strip();
        try {
            CronExpression.create(cron).nextTimeAfter(ZonedDateTime.now(ZoneOffset.UTC));
        } catch (RuntimeException e) {
            throw new ConfigurationException(KEY + "cron '" + cron + "' is not a cron expression (sec min hour "
                    + "day-of-month month day-of-week): " + e.getMessage());
        }
        this.catalogSettings = catalogSettings(configuration, compaction.getS3());
        this.scheduled = scheduler.schedule(cron, ZoneOffset.UTC.getId(), this::pass);
        LOG.info("iceberg maintenance scheduled cron='{}' catalog={} warehouse={}", cron,
                configuration.getCatalogUri(), configuration.getWarehouse());
    }

    /** One pass over every table, if this instance leads; one line per failure, no stack trace. */
    synchronized void pass() {
        if (!leadership.isLeader()) {
            return;
        }
        try {
            if (catalog == null) {
                catalog = catalogSettings.open();
            }
            List<IcebergMaintenance.TableReport> reports = new IcebergMaintenance(catalog, settings, clock).run();
            LOG.info("iceberg maintenance pass done tables={}", reports.size());
        } catch (RuntimeException e) {
            LOG.warn("iceberg maintenance pass failed, next at the next scheduled time: {}", e.toString());
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

    static IcebergCatalogSettings catalogSettings(IcebergMaintenanceConfiguration c, CompactionConfiguration.S3 s3) {
        require(c.getCatalogUri(), "catalog-uri", "must name the catalog database, e.g. "
                + "jdbc:postgresql://127.0.0.1:5432/iceberg_catalog (SLUICE_ICEBERG_CATALOG_URI)");
        require(c.getCatalogPassword(), "catalog-password", "must be set (SLUICE_ICEBERG_CATALOG_PASSWORD)");
        require(c.getWarehouse(), "warehouse", "must name the tables' location, e.g. s3://lake/iceberg");
        // S3FileIO is given the keys; the default AWS chain is not wired through the catalog properties.
        if (s3.getAccessKey() == null || s3.getAccessKey().isBlank() || s3.getSecretKey() == null
                || s3.getSecretKey().isBlank()) {
            throw new ConfigurationException("sluice.compaction.s3.access-key and sluice.compaction.s3.secret-key "
                    + "must be set for " + KEY + "enabled (SLUICE_S3_ACCESS_KEY, SLUICE_S3_SECRET_KEY)");
        }
        URI endpoint;
        try {
            endpoint = s3.getEndpoint() == null || s3.getEndpoint().isBlank() ? null
                    : URI.create(s3.getEndpoint().strip());
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("sluice.compaction.s3.endpoint is not a URL: " + e.getMessage());
        }
        return new IcebergCatalogSettings(c.getCatalogName(), c.getCatalogUri().strip(), c.getCatalogUser(),
                c.getCatalogPassword(), c.getWarehouse().strip(), endpoint, s3.getRegion(), s3.getAccessKey().strip(),
                s3.getSecretKey().strip());
    }

    private static void require(String value, String key, String problem) {
        if (value == null || value.isBlank()) {
            throw new ConfigurationException(KEY + key + " " + problem);
        }
    }

    @PreDestroy
    synchronized void close() throws IOException {
        scheduled.cancel(false);
        if (catalog != null) {
            catalog.close();
        }
    }
}
