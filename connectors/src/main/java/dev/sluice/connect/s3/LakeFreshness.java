package dev.sluice.connect.s3;

import dev.sluice.lake.KafkaColumns;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.Max;
import org.apache.kafka.common.metrics.stats.Value;
import org.apache.kafka.connect.data.Values;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * Freshness of the lake: how long after its source time ({@value KafkaColumns#SOURCE_TS_HEADER}, stamped by
 * streams-app on silver and gold records) a record's file was published, i.e. its group's checkpoint written. Per
 * topic, in the task's plugin metrics (group {@code plugins}, the worker's connector and task tags plus topic):
 * {@value #MAX} (the oldest record of any group published within the metrics window) and {@value #LAST} (the oldest
 * record of the last group published). Without plugin metrics (tests) nothing is recorded.
 */
final class LakeFreshness {

    static final String MAX = "source-to-lake-max-seconds";
    static final String LAST = "source-to-lake-last-seconds";

    private final PluginMetrics metrics;
    private final Map<String, Sensor> sensors = new HashMap<>();

    LakeFreshness(PluginMetrics metrics) {
        this.metrics = metrics;
    }

    /** The record's source time from its header; empty without one (bronze, other producers) or if malformed. */
    static OptionalLong sourceTime(SinkRecord record) {
        Header header = record.headers().lastWithName(KafkaColumns.SOURCE_TS_HEADER);
        if (header == null || header.value() == null) {
            return OptionalLong.empty();
        }
        // As the lineage columns read theirs: raw bytes, or whatever the worker's header converter made of the text.
        String text = header.value() instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8)
                : Values.convertToString(header.schema(), header.value());
        try {
            return OptionalLong.of(Long.parseLong(text.trim()));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** A group of {@code topic} was published at {@code at}; its oldest record has source time {@code oldestSource}. */
    void published(String topic, long oldestSource, long at) {
        if (metrics == null) {
            return;
        }
        sensors.computeIfAbsent(topic, this::sensor).record(Math.max(0, at - oldestSource) / 1000.0);
    }

    private Sensor sensor(String topic) {
        LinkedHashMap<String, String> tags = new LinkedHashMap<>();
        tags.put("topic", topic);
        Sensor sensor = metrics.addSensor("lake-freshness-" + topic);
        sensor.add(metrics.metricName(MAX, "Largest latency from the source time to the publication of the record's"
                + " file, within the metrics window", tags), new Max());
        sensor.add(metrics.metricName(LAST, "Latency from the source time of the oldest record of the last group"
                + " published to its publication", tags), new Value());
        return sensor;
    }
}
