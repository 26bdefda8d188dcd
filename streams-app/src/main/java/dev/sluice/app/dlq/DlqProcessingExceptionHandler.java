package dev.sluice.app.dlq;

import java.time.Clock;
import java.util.List;
import java.util.Map;

import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.sluice.app.failure.ErrorCode;
import dev.sluice.app.failure.Stage;
import dev.sluice.app.metrics.PipelineMetrics;

/**
 * An exception thrown while processing a record dead-letters the record as the failing sub-topology read it (its
 * raw source bytes and headers) to {@code dlq.<stage>}, the stage taken from the processor's name, and processing
 * resumes. Transient failures (a dependency unreachable) stop processing instead, see {@link Failures}.
 */
public class DlqProcessingExceptionHandler implements ProcessingExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(DlqProcessingExceptionHandler.class);

    private PipelineMetrics metrics = PipelineMetrics.inMemory();
    private Clock clock = Clock.systemUTC();

    @Override
    public void configure(Map<String, ?> configs) {
        metrics = HandlerSupport.metrics(configs);
        clock = HandlerSupport.clock(configs);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        Stage stage = Stage.ofNode(context.processorNodeId());
        if (Failures.isTransient(exception)) {
            LOG.error("processing stopped by a transient failure node={} topic={} partition={} offset={} error={}",
                    context.processorNodeId(), context.topic(), context.partition(), context.offset(),
                    exception.toString());
            return Response.fail();
        }
        Failure failure = Failure.exception(stage, ErrorCode.PROCESSING_FAILED, exception);
        LOG.warn("record dead-lettered stage={} node={} topic={} partition={} offset={} error={}", stage.id(),
                context.processorNodeId(), context.topic(), context.partition(), context.offset(),
                exception.toString());
        metrics.deadLetter(stage, ErrorCode.PROCESSING_FAILED);
        return Response.resume(List.of(DeadLetters.record(context.sourceRawKey(), context.sourceRawValue(),
                context.headers(), failure, context.topic(), context.partition(), context.offset(),
                context.timestamp(), clock.millis(), AppVersion.get())));
    }
}
