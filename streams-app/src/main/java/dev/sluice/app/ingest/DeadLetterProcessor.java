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
    private final String handedOverFrom;
    private ProcessorContext<byte[], byte[]> context;

    /** Dead letters of records read from a topic: the source is that topic, partition and offset. */
    public DeadLetterProcessor(PipelineMetrics metrics) {
        this(metrics, null);
    }

    /**
     * Dead letters of records handed over in memory on their way to {@code handedOverFrom} (gold's intake of the
     * enriched orders and lines): the source is that topic, with partition and offset -1, since the record's offset
     * there is not known until its transaction commits.
     */
    public DeadLetterProcessor(PipelineMetrics metrics, String handedOverFrom) {
        this.metrics = metrics;
        this.handedOverFrom = handedOverFrom;
    }

    @Override
    public void init(ProcessorContext<byte[], byte[]> context) {
        this.context = context;
    }

    @Override
    public void process(Record<K, Staged<T>> record) {
        Staged<T> staged = record.value();
        Failure failure = staged.failure();
        RecordMetadata source = handedOverFrom == null ? context.recordMetadata().orElse(null) : null;
        String sourceTopic = handedOverFrom != null ? handedOverFrom : source == null ? null : source.topic();
        metrics.deadLetter(failure.stage(), failure.code());
        context.forward(new Record<>(staged.rawKey(), staged.rawValue(), record.timestamp(),
                DeadLetters.headers(record.headers(), failure, sourceTopic, source == null ? -1 : source.partition(),
                        source == null ? -1 : source.offset(), context.currentSystemTimeMs(), AppVersion.get())));
    }
}
