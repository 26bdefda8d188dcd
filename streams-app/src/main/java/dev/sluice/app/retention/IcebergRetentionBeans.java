package dev.sluice.app.retention;

import java.time.Clock;

import dev.sluice.app.compaction.IcebergMaintenanceConfiguration;
import dev.sluice.lake.iceberg.PartitionRetention;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.exceptions.ConfigurationException;
import jakarta.inject.Singleton;

/**
 * Retention of the Iceberg tables' whole hours by zone, with the Parquet lake's zones
 * ({@code sluice.compaction.retention.zones}), when both Iceberg maintenance and retention are enabled and retention
 * is not a dry run (a dry run deletes nothing, so no Iceberg hour goes either). The maintenance pass applies it; an
 * hour younger than maintenance's closed delay since its end is never deleted.
 */
@Factory
@Requires(property = "sluice.iceberg-maintenance.enabled", value = "true")
@Requires(property = "sluice.compaction.retention.enabled", value = "true")
@Requires(property = "sluice.compaction.retention.dry-run", notEquals = "true")
class IcebergRetentionBeans {

    @Singleton
    PartitionRetention icebergPartitionRetention(RetentionConfiguration retention,
            IcebergMaintenanceConfiguration maintenance, Clock clock) {
        try {
            return new PartitionRetention(retention.getZones(), maintenance.getClosedDelay(), clock);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("sluice.compaction.retention.zones: " + e.getMessage());
        }
    }
}
