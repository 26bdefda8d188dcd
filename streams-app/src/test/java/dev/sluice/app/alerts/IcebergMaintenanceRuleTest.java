package dev.sluice.app.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import dev.sluice.app.compaction.IcebergMaintenancePass;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * iceberg-maintenance-failing over the passes as {@code GET /api/compaction/iceberg/passes} shows them: quiet while
 * maintenance is off or nothing has run, firing with the pass's id and the first line of its error when the last
 * pass failed, resolved by a later pass that succeeded; its reading follows.
 */
class IcebergMaintenanceRuleTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final AtomicReference<IcebergMaintenancePass> last = new AtomicReference<>();
    private final IcebergMaintenanceRule rule = new IcebergMaintenanceRule(() -> Optional.ofNullable(last.get()),
            new ExportedReadings(registry));

    @Test
    void quietWhileNoPassHasFinished() {
        assertEquals(List.of(), rule.check(T0));
        assertEquals(0.0, failedReading());
    }

    @Test
    void firesOnAFailedPassAndResolvesOnTheNextThatSucceeds() {
        last.set(pass(7, IcebergMaintenancePass.Status.FAILED,
                "org.apache.iceberg.jdbc.UncheckedSQLException: Failed to connect: jdbc:postgresql://db/catalog\n"
                        + "\tat org.apache.iceberg.jdbc.JdbcClientPool.newClient"));
        List<Finding> findings = rule.check(T0);
        assertEquals(1, findings.size());
        assertEquals(Map.of(), findings.get(0).labels(), "one alert for the lake's tables");
        assertEquals("iceberg maintenance pass 7 failed: org.apache.iceberg.jdbc.UncheckedSQLException: Failed to "
                + "connect: jdbc:postgresql://db/catalog", findings.get(0).summary());
        assertFalse(findings.get(0).summary().contains("\n"), "the first line of the error only");
        assertEquals(1.0, failedReading());
        assertEquals(IcebergMaintenanceRule.NAME, rule.name());
        assertEquals(AlertRule.Scope.INSTANCE, rule.scope(), "the leading instance ran the pass and fires");

        last.set(pass(8, IcebergMaintenancePass.Status.SUCCEEDED, null));
        assertEquals(List.of(), rule.check(T0.plusSeconds(60)));
        assertEquals(0.0, failedReading());
    }

    private double failedReading() {
        return registry.get("sluice.lake.iceberg.maintenance.last.pass.failed").gauge().value();
    }

    private static IcebergMaintenancePass pass(long id, IcebergMaintenancePass.Status status, String error) {
        return new IcebergMaintenancePass(id, T0, T0.plusSeconds(5), status, 3, 0, 0, 0, 0, 0, 0, 0, error);
    }
}
