package dev.sluice.app.dlq;

import java.time.Clock;
import java.util.Map;

import dev.sluice.app.metrics.PipelineMetrics;

/**
 * What Kafka Streams' exception handlers of Sluice share: they are instantiated by Kafka Streams, so the metrics and
 * the clock reach them through the streams configuration under {@value #METRICS_CONFIG} and {@value #CLOCK_CONFIG}.
 */
final class HandlerSupport {

    /** Streams configuration entry holding the {@link PipelineMetrics} instance (an object, not a string). */
    static final String METRICS_CONFIG = "sluice.pipeline.metrics";
    /** Streams configuration entry holding the {@link Clock} that stamps dead letters (an object, not a string). */
    static final String CLOCK_CONFIG = "sluice.clock";

    private HandlerSupport() {
    }

    static PipelineMetrics metrics(Map<String, ?> configs) {
        Object metrics = configs.get(METRICS_CONFIG);
        return metrics instanceof PipelineMetrics m ? m : PipelineMetrics.inMemory();
    }

    static Clock clock(Map<String, ?> configs) {
        Object clock = configs.get(CLOCK_CONFIG);
        return clock instanceof Clock c ? c : Clock.systemUTC();
    }
}
