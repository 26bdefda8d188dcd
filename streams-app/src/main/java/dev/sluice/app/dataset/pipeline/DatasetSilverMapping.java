package dev.sluice.app.dataset.pipeline;

import java.util.List;
import java.util.StringJoiner;

import org.apache.avro.generic.GenericRecord;

import dev.sluice.app.ingest.Decoded;
import dev.sluice.app.silver.PiiPolicy;
import dev.sluice.app.silver.SilverMapping;
import dev.sluice.app.validate.FieldValues;

/**
 * The silver mapping of a dataset specification: the value in the silver schema derived from the record's bronze
 * schema ({@link SilverSchemas}, checked by {@link SilverSchemaGate} before), the key from the specification's key
 * fields, taken from the bronze key where it has them (tombstones too) and from the value otherwise; several key
 * fields are joined with {@code |}.
 */
public final class DatasetSilverMapping implements SilverMapping<GenericRecord> {

    private final List<String> key;
    private final SilverSchemas schemas;
    private final PiiPolicy pii;

    public DatasetSilverMapping(List<String> key, SilverSchemas schemas, PiiPolicy pii) {
        this.key = List.copyOf(key);
        this.schemas = schemas;
        this.pii = pii;
    }

    @Override
    public String key(Decoded record) {
        StringJoiner joined = new StringJoiner("|");
        for (String field : key) {
            joined.add(String.valueOf(keyField(record, field)));
        }
        return joined.toString();
    }

    private static Object keyField(Decoded record, String field) {
        if (record.key() instanceof GenericRecord k && k.getSchema().getField(field) != null) {
            return FieldValues.get(k, field);
        }
        if (record.value() != null && record.value().getSchema().getField(field) != null) {
            return FieldValues.get(record.value(), field);
        }
        throw new IllegalArgumentException("neither the key nor the value has the key field " + field);
    }

    @Override
    public GenericRecord value(Decoded record, long timestamp) {
        GenericRecord bronze = record.value();
        SilverSchemas.Outcome outcome = schemas.of(bronze.getSchema());
        if (outcome.rejected()) {
            // The gate in front stops these; a schema rejected in between is still never written.
            throw new IllegalStateException(outcome.rejection());
        }
        return outcome.shape().build(bronze, timestamp, pii);
    }
}
