package dev.sluice.app.dlq;

import java.time.Clock;
import java.util.Map;

import org.apache.kafka.streams.StreamsConfig;

import dev.sluice.app.metrics.PipelineMetrics;

/** The streams configuration that routes Kafka Streams' own error paths to Sluice's dead-letter topics. */
public final class StreamsErrorHandling {

    private StreamsErrorHandling() {
    }

    /**
     * Handler classes, the metrics they count into and the clock that stamps dead letters ({@code sluice.error.time}),
     * to be merged into the streams configuration.
     */
    public static Map<String, Object> config(PipelineMetrics metrics, Clock clock) {
        return Map.of(
                StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DlqProcessingExceptionHandler.class,
                StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DlqDeserializationExceptionHandler.class,
                StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, DlqProductionExceptionHandler.class,
                HandlerSupport.METRICS_CONFIG, metrics,
                HandlerSupport.CLOCK_CONFIG, clock);
    }
}
