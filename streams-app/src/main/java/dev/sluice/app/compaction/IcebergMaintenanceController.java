package dev.sluice.app.compaction;

import java.util.List;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * The last maintenance passes of the lake's Iceberg tables, next to compaction's runs. Read-only: passes start on
 * their schedule ({@code sluice.iceberg-maintenance.cron}) on the leading instance, which is the one that remembers
 * them; absent (404) when Iceberg maintenance is off.
 */
@Controller("/api/compaction/iceberg")
@Requires(property = "sluice.iceberg-maintenance.enabled", value = "true")
@Tag(name = "compaction", description = "Batch compaction of the lake's closed partitions")
public class IcebergMaintenanceController {

    private static final int MAX_LIMIT = 100;

    private final IcebergMaintenancePasses passes;

    public IcebergMaintenanceController(IcebergMaintenancePasses passes) {
        this.passes = passes;
    }

    @Get("/passes")
    @Operation(operationId = "listIcebergMaintenancePasses",
            summary = "The last maintenance passes over the Iceberg tables, newest first")
    public List<IcebergMaintenancePass> history(@QueryValue(defaultValue = "20") int limit) {
        return passes.history(Math.max(1, Math.min(limit, MAX_LIMIT)));
    }
}
