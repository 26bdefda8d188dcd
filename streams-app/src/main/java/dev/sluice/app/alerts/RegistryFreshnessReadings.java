package dev.sluice.app.alerts;

import java.util.HashMap;
import java.util.Map;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Freshness from the meter registry. Assumes the histogram {@code sluice_freshness_seconds{layer,dataset}} in
 * Prometheus, i.e. a Micrometer timer {@code sluice.freshness} or a distribution summary
 * {@code sluice.freshness.seconds}, tagged layer and dataset; reads each one's max (Micrometer's decaying max over
 * its last few minutes). Until such a meter exists it answers nothing, and the rule never fires.
 */
public class RegistryFreshnessReadings implements FreshnessReadings {

    static final String TIMER = "sluice.freshness";
    static final String SUMMARY = "sluice.freshness.seconds";

    private final MeterRegistry registry;

    public RegistryFreshnessReadings(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public Map<Map<String, String>, Double> worstSeconds() {
        Map<Map<String, String>, Double> worst = new HashMap<>();
        for (Meter meter : registry.getMeters()) {
            String name = meter.getId().getName();
            String layer = meter.getId().getTag("layer");
            String dataset = meter.getId().getTag("dataset");
            if (layer == null || dataset == null) {
                continue;
            }
            double seconds;
            if (TIMER.equals(name) && meter instanceof Timer timer) {
                seconds = timer.max(java.util.concurrent.TimeUnit.SECONDS);
            } else if (SUMMARY.equals(name) && meter instanceof DistributionSummary summary) {
                seconds = summary.max();
            } else {
                continue;
            }
            worst.merge(Map.of("layer", layer, "dataset", dataset), seconds, Math::max);
        }
        return worst;
    }
}
