package dev.sluice.app.alerts;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.sluice.app.status.ConsumerLag;
import dev.sluice.app.status.PipelineStatusService;

/** {@code consumer-lag}: an input topic of the app's consumer group lags more than the threshold (records). */
class LagRule implements AlertRule {

    static final String NAME = "consumer-lag";

    private final PipelineStatusService status;
    private final ExportedReadings readings;
    private final double threshold;

    LagRule(PipelineStatusService status, ExportedReadings readings, double threshold) {
        this.status = status;
        this.readings = readings;
        this.threshold = threshold;
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
        ConsumerLag.LagView lag = status.lag();
        if (lag.error() != null) {
            throw new IllegalStateException(lag.error());
        }
        List<Finding> findings = new ArrayList<>();
        Map<Map<String, String>, Long> rows = new LinkedHashMap<>();
        for (ConsumerLag.TopicLag topic : lag.topics()) {
            rows.put(Map.of("topic", topic.topic()), topic.lag());
            if (topic.lag() > threshold) {
                findings.add(new Finding(Map.of("topic", topic.topic()), "consumer lag on " + topic.topic() + " is "
                        + topic.lag() + " records (threshold " + (long) threshold + ")"));
            }
        }
        readings.publish("sluice.consumer.lag.records", "consumer lag of the app's group per input topic", rows);
        return findings;
    }
}
