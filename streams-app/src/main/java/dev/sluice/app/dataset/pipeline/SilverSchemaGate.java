package dev.sluice.app.dataset.pipeline;

import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

import dev.sluice.app.dlq.Failure;
import dev.sluice.app.failure.ErrorCode;
import dev.sluice.app.failure.Stage;
import dev.sluice.app.ingest.Decoded;
import dev.sluice.app.ingest.Staged;
import dev.sluice.app.metrics.PipelineMetrics;

/**
 * Stage enrich, before the silver mapping: stops a record whose bronze schema has no silver schema (it cannot be
 * derived, or it is incompatible with the silver subject's earlier versions). The record fails with
 * {@link ErrorCode#SERIALIZATION_FAILED} — its silver value could not be written — and the reason, and goes to
 * {@code dlq.enrich} with its original bytes: once the schema is fixed, a redrive carries it.
 */
public final class SilverSchemaGate implements FixedKeyProcessor<byte[], Staged<Decoded>, Staged<Decoded>> {

    private final String dataset;
    private final SilverSchemas schemas;
    private final PipelineMetrics metrics;
    private FixedKeyProcessorContext<byte[], Staged<Decoded>> context;

    public SilverSchemaGate(String dataset, SilverSchemas schemas, PipelineMetrics metrics) {
        this.dataset = dataset;
        this.schemas = schemas;
        this.metrics = metrics;
    }

    @Override
    public void init(FixedKeyProcessorContext<byte[], Staged<Decoded>> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<byte[], Staged<Decoded>> record) {
        Staged<Decoded> staged = record.value();
        if (staged.failed() || staged.value().tombstone()) {
            context.forward(record);
            return;
        }
        SilverSchemas.Outcome outcome = schemas.of(staged.value().value().getSchema());
        if (!outcome.rejected()) {
            context.forward(record);
            return;
        }
        metrics.out(Stage.ENRICH, dataset, "schema-rejected");
        context.forward(record.withValue(staged.fail(Failure.of(Stage.ENRICH, ErrorCode.SERIALIZATION_FAILED,
                outcome.rejection()))));
    }
}
