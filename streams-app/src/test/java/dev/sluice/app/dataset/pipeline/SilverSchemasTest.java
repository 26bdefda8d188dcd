package dev.sluice.app.dataset.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

import dev.sluice.app.dataset.DatasetSpec;
import dev.sluice.app.dataset.DatasetSpecParser;
import dev.sluice.app.metrics.PipelineMetrics;
import dev.sluice.app.serde.SchemaCache;
import dev.sluice.app.testing.InMemorySchemaSource;

class SilverSchemasTest {

    private static final DatasetSpec SPEC = new DatasetSpecParser("shop-cdc").parse("suppliers.yaml", """
            name: suppliers
            source: {kind: cdc, table: public.suppliers}
            key: [id]
            validation: {fields: {id: {required: true}}}
            """);
    private static final String SUBJECT = "silver.suppliers-value";

    private final InMemorySchemaSource registry = new InMemorySchemaSource();
    private final PipelineMetrics metrics = PipelineMetrics.inMemory();
    private final SilverSchemas schemas = new SilverSchemas(SPEC, SPEC.rules(),
            new SchemaCache(registry, Duration.ofSeconds(1), 10, Duration.ZERO), metrics);

    @Test
    void anAddedOptionalColumnBecomesANewSilverVersion() {
        SilverSchemas.Outcome first = schemas.of(bronze(""));
        assertFalse(first.rejected());
        assertSame(first, schemas.of(bronze("")), "derived once per bronze schema");
        assertEquals(1, registry.versions(SUBJECT).size());

        SilverSchemas.Outcome evolved = schemas.of(bronze(
                ", {\"name\": \"rating\", \"type\": [\"null\", \"int\"], \"default\": null}"));
        assertFalse(evolved.rejected());
        List<Schema> versions = registry.versions(SUBJECT);
        assertEquals(2, versions.size());
        assertNotNull(versions.get(1).getField("rating"));
        assertEquals(0, metrics.count(PipelineMetrics.SCHEMA_REJECTED, "dataset", "suppliers"));
    }

    @Test
    void anIncompatibleChangeIsRejectedOnceNamingTheIncompatibility() {
        assertFalse(schemas.of(bronze("")).rejected());
        Schema changed = new Schema.Parser().parse("""
                {"type": "record", "name": "Value", "namespace": "bronze.pg.suppliers", "fields": [
                  {"name": "id", "type": "long"}, {"name": "name", "type": "int"}]}""");
        SilverSchemas.Outcome outcome = schemas.of(changed);
        assertTrue(outcome.rejected());
        assertTrue(outcome.rejection().startsWith("dataset suppliers: "), outcome.rejection());
        assertTrue(outcome.rejection().contains("cannot read every earlier version of " + SUBJECT),
                outcome.rejection());
        assertTrue(outcome.rejection().contains("field name (/fields/1/type/1): TYPE_MISMATCH"), outcome.rejection());
        assertSame(outcome, schemas.of(changed));
        assertEquals(1, metrics.count(PipelineMetrics.SCHEMA_REJECTED, "dataset", "suppliers"), "once per schema");
        assertEquals(1, registry.versions(SUBJECT).size(), "nothing registered");
    }

    @Test
    void aNewRequiredColumnWithoutDefaultIsIncompatible() {
        assertFalse(schemas.of(bronze("")).rejected());
        assertTrue(schemas.of(bronze(", {\"name\": \"rating\", \"type\": \"int\"}")).rejected());
    }

    private static Schema bronze(String moreFields) {
        return new Schema.Parser().parse("""
                {"type": "record", "name": "Value", "namespace": "bronze.pg.suppliers", "fields": [
                  {"name": "id", "type": "long"}, {"name": "name", "type": ["null", "string"], "default": null},
                  {"name": "__op", "type": ["null", "string"], "default": null}""" + moreFields + "]}");
    }
}
