package dev.sluice.app.compaction;

import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;

/**
 * What the maintenance passes of the Iceberg tables did, in Micrometer (on {@code /prometheus}), named like
 * retention's: counters {@value #FILES_RETIRED} (files of hours past their zone's retention),
 * {@value #FILES_REWRITTEN} (compacted inputs), {@value #SNAPSHOTS_EXPIRED},
 * {@value #ORPHANS_DELETED} and {@value #FAILURES} (failed passes), and the gauge {@value #LAST_SUCCESS}, epoch
 * seconds of the end of the last successful pass (0 before the first), which an alert on its age catches a
 * maintenance that stopped succeeding.
 */
@Singleton
@Requires(property = "sluice.iceberg-maintenance.enabled", value = "true")
public class IcebergMaintenanceMetrics {

    public static final String FILES_RETIRED = "sluice.lake.iceberg.files.retired";
    public static final String FILES_REWRITTEN = "sluice.lake.iceberg.files.rewritten";
    public static final String SNAPSHOTS_EXPIRED = "sluice.lake.iceberg.snapshots.expired";
    public static final String ORPHANS_DELETED = "sluice.lake.iceberg.orphans.deleted";
    public static final String FAILURES = "sluice.lake.iceberg.maintenance.failures";
    public static final String LAST_SUCCESS = "sluice.lake.iceberg.maintenance.last.success";

    private final Counter filesRetired;
    private final Counter filesRewritten;
    private final Counter snapshotsExpired;
    private final Counter orphansDeleted;
    private final Counter failures;
    private final AtomicLong lastSuccessSeconds = new AtomicLong();

    public IcebergMaintenanceMetrics(MeterRegistry registry) {
        filesRetired = registry.counter(FILES_RETIRED);
        filesRewritten = registry.counter(FILES_REWRITTEN);
        snapshotsExpired = registry.counter(SNAPSHOTS_EXPIRED);
        orphansDeleted = registry.counter(ORPHANS_DELETED);
        failures = registry.counter(FAILURES);
        Gauge.builder(LAST_SUCCESS, lastSuccessSeconds, AtomicLong::get).baseUnit("seconds")
                .description("epoch seconds of the end of the last successful Iceberg maintenance pass")
                .register(registry);
    }

    void record(IcebergMaintenancePass pass) {
        if (pass.status() == IcebergMaintenancePass.Status.FAILED) {
            failures.increment();
            return;
        }
        filesRetired.increment(pass.retiredFiles());
        filesRewritten.increment(pass.filesRewritten());
        snapshotsExpired.increment(pass.snapshotsExpired());
        orphansDeleted.increment(pass.orphansDeleted());
        lastSuccessSeconds.set(pass.finishedAt().getEpochSecond());
    }
}
