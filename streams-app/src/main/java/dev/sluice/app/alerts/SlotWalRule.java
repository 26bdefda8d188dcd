package dev.sluice.app.alerts;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * {@code slot-wal-retained}: a CDC replication slot holds back more than the threshold (MB) of WAL on its
 * database, read from {@code sluice_cdc_slot_retained_wal_bytes{connector,slot}} (dev.sluice.app.connect.SlotMetrics).
 */
class SlotWalRule implements AlertRule {

    static final String NAME = "slot-wal-retained";
    static final String METRIC = "sluice.cdc.slot.retained.wal.bytes";
    private static final double MB = 1024 * 1024;

    private final MeterRegistry registry;
    private final double thresholdMb;

    SlotWalRule(MeterRegistry registry, double thresholdMb) {
        this.registry = registry;
        this.thresholdMb = thresholdMb;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Scope scope() {
        return Scope.DEPLOYMENT;
    }

    @Override
    public List<Finding> check(Instant now) {
        List<Finding> findings = new ArrayList<>();
        for (Gauge gauge : registry.find(METRIC).gauges()) {
            double mb = gauge.value() / MB;
            String connector = gauge.getId().getTag("connector");
            String slot = gauge.getId().getTag("slot");
            if (mb > thresholdMb && connector != null && slot != null) {
                findings.add(new Finding(Map.of("connector", connector, "slot", slot), String.format(Locale.ROOT,
                        "slot %s retains %.0f MB of WAL (threshold %.0f MB)", slot, mb, thresholdMb)));
            }
        }
        return findings;
    }
}
