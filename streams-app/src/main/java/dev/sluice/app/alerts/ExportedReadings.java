package dev.sluice.app.alerts;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;

/**
 * What the status-based rules read, as gauges for Prometheus, so that the Prometheus rules
 * (docker/prometheus/rules.yml) watch the same conditions: {@code sluice_connect_up},
 * {@code sluice_connector_failed{connector,task}}, {@code sluice_streams_running},
 * {@code sluice_consumer_lag_records{topic}}, {@code sluice_lake_sink_committed_offsets{connector}},
 * {@code sluice_lake_sink_lag_records{connector}} and {@code sluice_lake_compaction_last_run_failed}. Updated at
 * each evaluation; each name shows the rows of the last one.
 */
public class ExportedReadings {

    private final MeterRegistry registry;
    private final Map<String, MultiGauge> gauges = new ConcurrentHashMap<>();

    public ExportedReadings(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Replaces the rows of gauge {@code name}: each row's tags and value. */
    public void publish(String name, String description, Map<Map<String, String>, ? extends Number> rows) {
        List<MultiGauge.Row<?>> list = new ArrayList<>();
        rows.forEach((tags, value) -> {
            Tags t = Tags.empty();
            for (Map.Entry<String, String> tag : tags.entrySet()) {
                t = t.and(tag.getKey(), tag.getValue());
            }
            list.add(MultiGauge.Row.of(t, value));
        });
        gauges.computeIfAbsent(name, n -> MultiGauge.builder(n).description(description).register(registry))
                .register(list, true);
    }

    public void publish(String name, String description, Number value) {
        publish(name, description, Map.of(Map.of(), value));
    }
}
