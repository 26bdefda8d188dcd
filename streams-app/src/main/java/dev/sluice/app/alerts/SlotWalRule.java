package dev.sluice.app.alerts;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * {@code slot-wal-retained}: a CDC replication slot holds back more than the threshold (MB) of WAL on its
 * database, read from {@code sluice_cdc_slot_retained_wal_bytes{connector,slot}} (dev.sluice.app.connect.SlotMetrics).
 */
class SlotWalRule extends ThresholdRule<Double> {

    static final String NAME = "slot-wal-retained";
    static final String METRIC = "sluice.cdc.slot.retained.wal.bytes";
    private static final double MB = 1024 * 1024;

    private final MeterRegistry registry;

    SlotWalRule(MeterRegistry registry, double thresholdMb) {
        super(NAME, Scope.DEPLOYMENT, thresholdMb);
        this.registry = registry;
    }

    /** Megabytes per slot; a gauge without both tags names no slot and is passed over. */
    @Override
    Map<Map<String, String>, Double> readings(Instant now) {
        Map<Map<String, String>, Double> megabytes = new LinkedHashMap<>();
        for (Gauge gauge : registry.find(METRIC).gauges()) {
            String connector = gauge.getId().getTag("connector");
            String slot = gauge.getId().getTag("slot");
            if (connector != null && slot != null) {
                megabytes.put(Map.of("connector", connector, "slot", slot), gauge.value() / MB);
            }
        }
        return megabytes;
    }

    @Override
    String summary(Map<String, String> labels, Double mb) {
        return String.format(Locale.ROOT, "slot %s retains %.0f MB of WAL (threshold %.0f MB)", labels.get("slot"),
                mb, threshold());
    }
}
