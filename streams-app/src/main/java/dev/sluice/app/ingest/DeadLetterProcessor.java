package dev.sluice.app.ingest;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

import dev.sluice.app.dlq.AppVersion;
import dev.sluice.app.dlq.DeadLetters;
import dev.sluice.app.dlq.Failure;
import dev.sluice.app.metrics.PipelineMetrics;

/**
 * Turns a failed record into its dead-letter record: the raw key and value bytes as read, the original headers
 * followed by the dead-letter headers. The sink picks {@code dlq.<stage>} from the stage header.
 */
public final class DeadLetterProcessor<K, T> implements Processor<K, Staged<T>, byte[], byte[]> {

    private final PipelineMetrics metrics;
    private ProcessorContext<byte[], byte[]> context;

    public DeadLetterProcessor(PipelineMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<byte[], byte[]> context) {
        this.context = context;
    }

    @Override
    public void process(Record<K, Staged<T>> record) {
        Staged<T> staged = record.value();
        Failure failure = staged.failure();
        RecordMetadata source = context.recordMetadata().orElse(null);
        metrics.deadLetter(failure.stage(), failure.code());
        context.forward(new Record<>(staged.rawKey(), staged.rawValue(), record.timestamp(),
                DeadLetters.headers(record.headers(), failure, source == null ? null : source.topic(),
                        source == null ? -1 : source.partition(), source == null ? -1 : source.offset(),
                        context.currentSystemTimeMs(), AppVersion.get())));
    }
}
