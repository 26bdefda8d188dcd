package dev.sluice.app.dataset.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

import dev.sluice.app.dataset.DatasetSpec;
import dev.sluice.app.dataset.DatasetSpecParser;
import dev.sluice.app.dlq.DeadLetterHeaders;
import dev.sluice.app.failure.ErrorCode;
import dev.sluice.app.failure.Stage;
import dev.sluice.app.metrics.PipelineMetrics;
import dev.sluice.app.silver.Lineage;
import dev.sluice.app.silver.PiiPolicy;
import dev.sluice.app.silver.PiiSettings;
import dev.sluice.app.testing.Out;
import dev.sluice.app.testing.PipelineDriver;

/**
 * A dataset no Java knows, from its specification alone, through the real topology: good rows to silver with the
 * derived schema, bad rows to dlq.validate naming their rule, an added optional column as a new silver version, an
 * incompatible change dead-lettered without loss.
 */
class DatasetTopologyTest {

    private static final String TOPIC = "bronze.pg.suppliers";
    private static final String SILVER = "silver.suppliers";
    private static final DatasetSpec SUPPLIERS = new DatasetSpecParser("shop-cdc").parse("datasets/suppliers.yaml", """
            name: suppliers
            source: {kind: cdc, table: public.suppliers}
            key: [id]
            validation:
              accept-tombstones: true
              fields:
                id: {required: true, type: long, min: 1}
                name: {required: true, type: string, min-length: 1}
                email: {type: string, pattern: '^[^@]+@[^@]+$'}
            dedupe: {key: [id, __lsn, __op], horizon: 24h}
            pii: {email: hash}
            silver: {rename: {id: supplier_id}}
            """);
    private static final Schema KEY = parse("""
            {"type": "record", "name": "Key", "namespace": "bronze.pg.suppliers", "fields": [
              {"name": "id", "type": "long"}]}""");

    @Test
    void aNewTableFromItsSpecificationAlone() {
        try (PipelineDriver pipeline = PipelineDriver.start(options -> options.datasets.add(SUPPLIERS))) {
            Schema v1 = bronze("");
            send(pipeline, v1, row(1, "Acme", "Sales@Acme.example", 10));
            byte[] badValue = pipeline.bronze().value(TOPIC, v1, row(0, "Nobody", null, 11));
            byte[] badKey = pipeline.bronze().key(TOPIC, KEY, 0L);
            pipeline.send(TOPIC, badKey, badValue);

            List<Out<String, GenericRecord>> silver = pipeline.readGeneric(SILVER);
            assertEquals(1, silver.size());
            assertEquals("1", silver.get(0).key());
            GenericRecord acme = silver.get(0).value();
            assertEquals("dev.sluice.datasets.Suppliers", acme.getSchema().getFullName());
            assertEquals(List.of("supplier_id", "name", "email", "deleted", "op", "source_lsn", "source_ts"),
                    acme.getSchema().getFields().stream().map(Schema.Field::name).toList());
            assertEquals(1L, acme.get("supplier_id"));
            assertEquals("Acme", acme.get("name").toString());
            PiiSettings pii = new PiiSettings();
            pii.setHashKey(PipelineDriver.HASH_KEY);
            assertEquals(new PiiPolicy(pii).email("sales@acme.example"), acme.get("email").toString());
            assertEquals(TOPIC + "/0/0", silver.get(0).header(Lineage.SOURCE));
            assertEquals(List.of(acme.getSchema()), pipeline.schemas().versions(SILVER + "-value"));

            List<Out<byte[], byte[]>> invalid = pipeline.deadLetters(Stage.VALIDATE);
            assertEquals(1, invalid.size());
            assertEquals("suppliers.id.min", invalid.get(0).header(DeadLetterHeaders.ERROR_RULE));
            assertArrayEquals(badKey, invalid.get(0).key());
            assertArrayEquals(badValue, invalid.get(0).value());

            // The source adds an optional column: a new silver version carries it.
            Schema v2 = bronze(", {\"name\": \"rating\", \"type\": [\"null\", \"int\"], \"default\": null}");
            Map<String, Object> rated = row(2, "Bolt", null, 12);
            rated.put("rating", 4);
            send(pipeline, v2, rated);
            List<Out<String, GenericRecord>> evolved = pipeline.readGeneric(SILVER);
            assertEquals(1, evolved.size());
            assertEquals(4, evolved.get(0).value().get("rating"));
            List<Schema> versions = pipeline.schemas().versions(SILVER + "-value");
            assertEquals(2, versions.size());
            assertEquals(SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE, SchemaCompatibility
                    .checkReaderWriterCompatibility(versions.get(1), versions.get(0)).getType());

            // The column changes type: both records dead-lettered with their bytes, nothing written, nothing lost.
            Schema v3 = bronze(", {\"name\": \"rating\", \"type\": [\"null\", \"string\"], \"default\": null}");
            Map<String, Object> relabelled = row(3, "Cog", null, 13);
            relabelled.put("rating", "good");
            byte[] key3 = pipeline.bronze().key(TOPIC, KEY, 3L);
            byte[] value3 = pipeline.bronze().value(TOPIC, v3, relabelled);
            pipeline.send(TOPIC, key3, value3);
            send(pipeline, v3, row(4, "Dyne", null, 14));
            assertEquals(List.of(), pipeline.readGeneric(SILVER));
            List<Out<byte[], byte[]>> rejected = pipeline.deadLetters(Stage.ENRICH);
            assertEquals(2, rejected.size());
            assertArrayEquals(key3, rejected.get(0).key());
            assertArrayEquals(value3, rejected.get(0).value());
            for (Out<byte[], byte[]> letter : rejected) {
                assertEquals(ErrorCode.SERIALIZATION_FAILED.name(), letter.header(DeadLetterHeaders.ERROR_CODE));
                assertEquals(TOPIC, letter.header(DeadLetterHeaders.SOURCE_TOPIC));
                String reason = letter.header(DeadLetterHeaders.ERROR_MESSAGE);
                assertTrue(reason.contains("dataset suppliers") && reason.contains("field rating"), reason);
            }
            assertEquals(2, pipeline.schemas().versions(SILVER + "-value").size(), "no incompatible version");
            assertEquals(1, pipeline.metrics().count(PipelineMetrics.SCHEMA_REJECTED, "dataset", "suppliers"));

            // Every input record is in exactly one output.
            assertEquals(5, pipeline.metrics().count(PipelineMetrics.IN, "stage", "deserialize", "entity",
                    "suppliers"));
            assertEquals(5, silver.size() + invalid.size() + evolved.size() + rejected.size());
        }
    }

    private static void send(PipelineDriver pipeline, Schema schema, Map<String, Object> row) {
        pipeline.send(TOPIC, pipeline.bronze().key(TOPIC, KEY, ((Number) row.get("id")).longValue()),
                pipeline.bronze().value(TOPIC, schema, row));
    }

    private static Map<String, Object> row(long id, String name, String email, long lsn) {
        Map<String, Object> row = new HashMap<>();
        row.put("id", id);
        row.put("name", name);
        row.put("email", email);
        row.put("__op", "c");
        row.put("__lsn", lsn);
        row.put("__source_ts_ms", 1_000L);
        row.put("__deleted", "false");
        return row;
    }

    /** Debezium's unwrapped row of public.suppliers, nullable columns as the tests' bronze schemas have them. */
    private static Schema bronze(String moreFields) {
        return parse("""
                {"type": "record", "name": "Value", "namespace": "bronze.pg.suppliers", "fields": [
                  {"name": "id", "type": ["null", "long"], "default": null},
                  {"name": "name", "type": ["null", "string"], "default": null},
                  {"name": "email", "type": ["null", "string"], "default": null},
                  {"name": "__op", "type": ["null", "string"], "default": null},
                  {"name": "__lsn", "type": ["null", "long"], "default": null},
                  {"name": "__source_ts_ms", "type": ["null", "long"], "default": null},
                  {"name": "__deleted", "type": ["null", "string"], "default": null}""" + moreFields + "]}");
    }

    private static Schema parse(String json) {
        return new Schema.Parser().parse(json);
    }
}
