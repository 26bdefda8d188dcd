package dev.sluice.app.alerts;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.sluice.app.status.ConsumerLag;
import dev.sluice.app.status.PipelineStatusService;

/** {@code consumer-lag}: an input topic of the app's consumer group lags more than the threshold (records). */
class LagRule extends ThresholdRule<Long> {

    static final String NAME = "consumer-lag";

    private final PipelineStatusService status;
    private final ExportedReadings readings;

    LagRule(PipelineStatusService status, ExportedReadings readings, double threshold) {
        super(NAME, Scope.DEPLOYMENT, threshold);
        this.status = status;
        this.readings = readings;
    }

    /** The lag per input topic, also published for Prometheus. */
    @Override
    Map<Map<String, String>, Long> readings(Instant now) {
        ConsumerLag.LagView lag = status.lag();
        if (lag.error() != null) {
            throw new IllegalStateException(lag.error());
        }
        Map<Map<String, String>, Long> rows = new LinkedHashMap<>();
        for (ConsumerLag.TopicLag topic : lag.topics()) {
            rows.put(Map.of("topic", topic.topic()), topic.lag());
        }
        readings.publish("sluice.consumer.lag.records", "consumer lag of the app's group per input topic", rows);
        return rows;
    }

    @Override
    String summary(Map<String, String> labels, Long lag) {
        return "consumer lag on " + labels.get("topic") + " is " + lag + " records (threshold " + (long) threshold()
                + ")";
    }
}
