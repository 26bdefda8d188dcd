package dev.sluice.app.dlq;

import java.util.Map;

import org.apache.kafka.streams.StreamsConfig;

import dev.sluice.app.metrics.PipelineMetrics;

/** The streams configuration that routes Kafka Streams' own error paths to Sluice's dead-letter topics. */
public final class StreamsErrorHandling {

    private StreamsErrorHandling() {
    }

    /** Handler classes and the metrics they count into, to be merged into the streams configuration. */
    public static Map<String, Object> config(PipelineMetrics metrics) {
        return Map.of(
                StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DlqProcessingExceptionHandler.class,
                StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DlqDeserializationExceptionHandler.class,
                StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, DlqProductionExceptionHandler.class,
                HandlerSupport.METRICS_CONFIG, metrics);
    }
}
