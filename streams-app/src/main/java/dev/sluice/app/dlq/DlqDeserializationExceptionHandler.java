package dev.sluice.app.dlq;

import java.time.Clock;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.sluice.app.failure.ErrorCode;
import dev.sluice.app.failure.Stage;
import dev.sluice.app.metrics.PipelineMetrics;

/**
 * A record that a source of the topology cannot deserialize goes to {@code dlq.deserialize} with its bytes and
 * headers untouched. Bronze and silver topics are read as bytes and decoded inside the topology, so this handler
 * guards the internal (repartition) topics; transient failures stop processing.
 */
public class DlqDeserializationExceptionHandler implements DeserializationExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(DlqDeserializationExceptionHandler.class);

    private PipelineMetrics metrics = PipelineMetrics.inMemory();
    private Clock clock = Clock.systemUTC();

    @Override
    public void configure(Map<String, ?> configs) {
        metrics = HandlerSupport.metrics(configs);
        clock = HandlerSupport.clock(configs);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record,
            Exception exception) {
        if (Failures.isTransient(exception)) {
            LOG.error("deserialization stopped by a transient failure topic={} partition={} offset={} error={}",
                    record.topic(), record.partition(), record.offset(), exception.toString());
            return Response.fail();
        }
        Failure failure = Failure.exception(Stage.DESERIALIZE, ErrorCode.DESERIALIZATION_FAILED, exception);
        LOG.warn("record dead-lettered stage=deserialize topic={} partition={} offset={} error={}", record.topic(),
                record.partition(), record.offset(), exception.toString());
        metrics.deadLetter(Stage.DESERIALIZE, ErrorCode.DESERIALIZATION_FAILED);
        return Response.resume(List.of(DeadLetters.record(record.key(), record.value(), record.headers(), failure,
                record.topic(), record.partition(), record.offset(), record.timestamp(), clock.millis(),
                AppVersion.get())));
    }
}
