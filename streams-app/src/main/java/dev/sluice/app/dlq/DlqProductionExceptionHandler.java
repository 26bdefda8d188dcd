package dev.sluice.app.dlq;

import java.time.Clock;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.errors.DefaultProductionExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.sluice.app.failure.ErrorCode;
import dev.sluice.app.failure.Stage;
import dev.sluice.app.metrics.PipelineMetrics;

/**
 * An output record that cannot be serialized dead-letters the input record it came from (raw source bytes and
 * headers) to the stage of the sink; transient failures (the registry unreachable while registering a schema)
 * stop processing. Send failures keep Kafka Streams' default behaviour.
 */
public class DlqProductionExceptionHandler extends DefaultProductionExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(DlqProductionExceptionHandler.class);

    private PipelineMetrics metrics = PipelineMetrics.inMemory();
    private Clock clock = Clock.systemUTC();

    @Override
    public void configure(Map<String, ?> configs) {
        super.configure(configs);
        metrics = HandlerSupport.metrics(configs);
        clock = HandlerSupport.clock(configs);
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Response handleSerializationError(ErrorHandlerContext context, ProducerRecord record, Exception exception,
            SerializationExceptionOrigin origin) {
        if (Failures.isTransient(exception)) {
            LOG.error("serialization stopped by a transient failure node={} topic={} error={}",
                    context.processorNodeId(), record.topic(), exception.toString());
            return Response.fail();
        }
        Stage stage = Stage.ofNode(context.processorNodeId());
        Failure failure = Failure.exception(stage, ErrorCode.SERIALIZATION_FAILED, exception);
        LOG.warn("record dead-lettered stage={} node={} output={} origin={} error={}", stage.id(),
                context.processorNodeId(), record.topic(), origin, exception.toString());
        metrics.deadLetter(stage, ErrorCode.SERIALIZATION_FAILED);
        return Response.resume(List.of(DeadLetters.record(context.sourceRawKey(), context.sourceRawValue(),
                context.headers(), failure, context.topic(), context.partition(), context.offset(),
                context.timestamp(), clock.millis(), AppVersion.get())));
    }
}
