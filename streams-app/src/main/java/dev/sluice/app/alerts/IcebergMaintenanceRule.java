package dev.sluice.app.alerts;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import dev.sluice.app.compaction.IcebergMaintenancePass;

/**
 * {@code iceberg-maintenance-failing}: the last maintenance pass over the Iceberg tables FAILED; resolves when a
 * later pass succeeds. Quiet while Iceberg maintenance is off or has not run. A pass only runs on the leading
 * instance, so the instance that ran it is the one that fires.
 */
class IcebergMaintenanceRule extends NamedRule {

    static final String NAME = "iceberg-maintenance-failing";

    private final Supplier<Optional<IcebergMaintenancePass>> lastPass;
    private final ExportedReadings readings;

    /** @param lastPass the last finished pass, empty while maintenance is off or none has finished */
    IcebergMaintenanceRule(Supplier<Optional<IcebergMaintenancePass>> lastPass, ExportedReadings readings) {
        super(NAME, Scope.INSTANCE);
        this.lastPass = lastPass;
        this.readings = readings;
    }

    @Override
    public List<Finding> check(Instant now) {
        IcebergMaintenancePass last = lastPass.get().orElse(null);
        boolean failed = last != null && last.status() == IcebergMaintenancePass.Status.FAILED;
        readings.publish("sluice.lake.iceberg.maintenance.last.pass.failed",
                "1 when the last Iceberg maintenance pass failed", failed ? 1 : 0);
        return failed ? List.of(new Finding(Map.of(), "iceberg maintenance pass " + last.id() + " failed: "
                + ConnectorRules.firstLine(String.valueOf(last.error())))) : List.of();
    }
}
