package dev.sluice.app.dlq;

import java.util.Map;

import dev.sluice.app.metrics.PipelineMetrics;

/**
 * What Kafka Streams' exception handlers of Sluice share: they are instantiated by Kafka Streams, so the metrics
 * reach them through the streams configuration under {@value #METRICS_CONFIG}.
 */
final class HandlerSupport {

    /** Streams configuration entry holding the {@link PipelineMetrics} instance (an object, not a string). */
    static final String METRICS_CONFIG = "sluice.pipeline.metrics";

    private HandlerSupport() {
    }

    static PipelineMetrics metrics(Map<String, ?> configs) {
        Object metrics = configs.get(METRICS_CONFIG);
        return metrics instanceof PipelineMetrics m ? m : PipelineMetrics.inMemory();
    }
}
