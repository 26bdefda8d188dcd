package dev.sluice.app.ingest;

import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

import dev.sluice.app.dlq.Failure;
import dev.sluice.app.failure.Stage;
import dev.sluice.app.metrics.PipelineMetrics;
import dev.sluice.app.tracing.Tracing;
import dev.sluice.app.validate.EntityRules;
import dev.sluice.app.validate.RecordValidator;
import dev.sluice.app.validate.Violation;
import io.opentelemetry.api.trace.Span;

/**
 * Stage validate: applies the entity's declarative rules. The first broken rule names the failure (header
 * {@code sluice.error.rule}); the message lists every broken rule.
 */
public final class ValidateProcessor implements FixedKeyProcessor<byte[], Staged<Decoded>, Staged<Decoded>> {

    private final EntityRules rules;
    private final RecordValidator validator;
    private final PipelineMetrics metrics;
    private final Tracing tracing;
    private FixedKeyProcessorContext<byte[], Staged<Decoded>> context;

    public ValidateProcessor(EntityRules rules, PipelineMetrics metrics, Tracing tracing) {
        this.rules = rules;
        this.validator = new RecordValidator(rules);
        this.metrics = metrics;
        this.tracing = tracing;
    }

    @Override
    public void init(FixedKeyProcessorContext<byte[], Staged<Decoded>> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<byte[], Staged<Decoded>> record) {
        Staged<Decoded> staged = record.value();
        if (staged.failed()) {
            context.forward(record);
            return;
        }
        String entity = rules.entity();
        metrics.in(Stage.VALIDATE, entity);
        Span span = tracing.startStage(Stage.VALIDATE.id(), Stage.VALIDATE, entity, record.headers(), context);
        byte[] raw = staged.rawValue();
        List<Violation> violations = validator.check(staged.value().key(), staged.value().value(),
                raw == null ? 0 : raw.length, Instant.ofEpochMilli(context.currentSystemTimeMs()));
        if (violations.isEmpty()) {
            metrics.out(Stage.VALIDATE, entity, "valid");
            span.end();
            context.forward(tracing.continued(record, span));
            return;
        }
        String first = violations.get(0).rule();
        metrics.out(Stage.VALIDATE, entity, "invalid");
        metrics.invalid(entity, first);
        String message = violations.stream().map(v -> v.rule() + ": " + v.message())
                .collect(Collectors.joining("; "));
        Failure failure = Failure.rule(first, message);
        Tracing.fail(span, failure);
        context.forward(tracing.continued(record.withValue(staged.fail(failure)), span));
    }
}
