package dev.sluice.app.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.sluice.app.ingest.KeyFormat;
import dev.sluice.app.silver.PiiAction;
import dev.sluice.app.validate.FieldRule;

class DatasetSpecParserTest {

    private static final String FILE = "datasets/suppliers.yaml";
    private static final String MINIMAL = """
            name: suppliers
            source: {kind: cdc, table: public.suppliers}
            key: [id]
            """;

    private final DatasetSpecParser parser = new DatasetSpecParser("shop-cdc");

    @Test
    void aMinimalCdcSpecGetsItsDefaults() {
        DatasetSpec spec = parser.parse(FILE, MINIMAL);
        assertEquals("suppliers", spec.name());
        assertEquals("", spec.description());
        DatasetSource source = spec.source();
        assertEquals(SourceKind.CDC, source.kind());
        assertEquals("public.suppliers", source.table());
        assertEquals("shop-cdc", source.connector());
        assertEquals("bronze.pg.suppliers", source.topic());
        assertEquals("bronze.pg.suppliers-value", source.subject());
        assertEquals(KeyFormat.AVRO, source.keyFormat());
        assertEquals(Optional.empty(), source.jdbc());
        assertEquals(List.of("id"), spec.key());
        assertEquals("suppliers", spec.rules().entity());
        assertFalse(spec.rules().deduplicates());
        assertEquals(Map.of(), spec.pii());
        assertEquals(new SilverSpec("silver.suppliers", "dev.sluice.datasets.Suppliers", Map.of(), Optional.empty(),
                true), spec.silver());
        assertEquals(Optional.empty(), spec.lake());
        assertEquals(Optional.empty(), spec.freshnessSla());
    }

    @Test
    void everyFieldIsRead() {
        DatasetSpec spec = parser.parse("dir/warehouse_parts.yaml", """
                name: warehouse_parts
                description: Parts
                source:
                  kind: jdbc
                  table: inventory.parts
                  subject: parts-value
                  jdbc: {mode: incrementing, incrementing-column: part_no, poll-interval: 30s}
                key: [part_no]
                validation:
                  max-record-bytes: 1024
                  accept-tombstones: true
                  fields:
                    part_no: {required: true, type: long, min: 1}
                    kind: {allowed: [a, b]}
                dedupe: {key: [part_no, updated_at], horizon: 2h}
                pii: {owner_email: hash, owner_name: mask, note: drop, city: keep}
                silver:
                  topic: silver.parts
                  schema-name: com.example.Part
                  rename: {part_no: part_id}
                  received-at: received_at
                  compacted: false
                lake: {zones: [silver], partition-by: [kind], retention: 90d}
                freshness: {sla: 5m}
                """);
        assertEquals("Parts", spec.description());
        assertEquals(new DatasetSource(SourceKind.JDBC, "inventory.parts", "dataset-warehouse_parts",
                "bronze.warehouse.parts", "parts-value", KeyFormat.AVRO,
                Optional.of(new JdbcPolling("incrementing", "part_no", "updated_at", Duration.ofSeconds(30)))),
                spec.source());
        assertEquals(1024, spec.rules().maxRecordBytes());
        assertTrue(spec.rules().acceptTombstones());
        FieldRule partNo = spec.rules().fields().stream().filter(f -> f.field().equals("part_no")).findFirst()
                .orElseThrow();
        assertTrue(partNo.required());
        assertEquals(0, BigDecimal.ONE.compareTo(partNo.min()));
        assertEquals(List.of("part_no", "updated_at"), spec.rules().dedupeKey());
        assertEquals(Duration.ofHours(2), spec.rules().dedupeWindow());
        assertEquals(Map.of("owner_email", PiiAction.HASH, "owner_name", PiiAction.MASK, "note", PiiAction.DROP,
                "city", PiiAction.KEEP), spec.pii());
        assertEquals(new SilverSpec("silver.parts", "com.example.Part", Map.of("part_no", "part_id"),
                Optional.of("received_at"), false), spec.silver());
        assertEquals(Optional.of(new LakeSpec(Set.of(LakeSpec.Zone.SILVER), List.of("kind"),
                Optional.of(Duration.ofDays(90)))), spec.lake());
        assertEquals(Optional.of(Duration.ofMinutes(5)), spec.freshnessSla());
    }

    @Test
    void aTopicSourceDefaultsToStringKeysAndAnUncompactedSilverTopic() {
        DatasetSpec spec = parser.parse("clicks.yaml", """
                name: clicks
                source: {kind: topic, topic: bronze.events.clicks}
                lake: {}
                """);
        assertEquals(KeyFormat.STRING, spec.source().keyFormat());
        assertEquals(null, spec.source().connector());
        assertEquals(List.of(), spec.key());
        assertFalse(spec.silver().compacted());
        assertEquals(Set.of(LakeSpec.Zone.BRONZE, LakeSpec.Zone.SILVER), spec.lake().orElseThrow().zones());
    }

    @Test
    void errorsNameTheFileAndTheField() {
        assertProblem("source.kind", "datasets/suppliers.yaml: source.kind: must be one of cdc, jdbc, topic "
                + "(was 'cdcx')", MINIMAL.replace("kind: cdc", "kind: cdcx"));
        assertProblem("name", null, MINIMAL.replace("name: suppliers", "name: vendors"));
        assertProblem("name", null, MINIMAL.replace("name: suppliers", "name: Suppliers"));
        assertProblem("source.table", null, MINIMAL.replace("public.suppliers", "suppliers"));
        assertProblem("key", null, MINIMAL.replace("key: [id]", "key: []"));
        assertProblem("key", null, MINIMAL.replace("key: [id]", "key: [id, id]"));
        assertProblem("source.jdbc", null, MINIMAL.replace("table: public.suppliers",
                "table: public.suppliers, jdbc: {mode: bulk}"));
        assertProblem("source.table", null, "name: suppliers\nsource: {kind: topic, topic: t, table: x}\n");
        assertProblem("source.topic", null, "name: suppliers\nsource: {kind: topic}\n");
        assertProblem("source.key-format", null, MINIMAL.replace("table: public.suppliers",
                "table: public.suppliers, key-format: json"));
        assertProblem("pii.email", null, MINIMAL + "pii: {email: scramble}\n");
        assertProblem("silver.rename.b", null, MINIMAL + "silver: {rename: {a: x, b: x}}\n");
        assertProblem("silver.schema-name", null, MINIMAL + "silver: {schema-name: 'a..b'}\n");
        assertProblem("silver.compacted", null, MINIMAL + "silver: {compacted: maybe}\n");
        assertProblem("lake.zones", null, MINIMAL + "lake: {zones: [gold]}\n");
        assertProblem("freshness.sla", null, MINIMAL + "freshness: {sla: soon}\n");
        assertProblem("dedupe.horizon", null, MINIMAL + "dedupe: {key: [id]}\n");
        assertProblem("dedupe.key", null, MINIMAL + "dedupe: {horizon: 1h}\n");
        assertProblem("(document)", null, "name: [unclosed\n");
        assertProblem("(document)", null, "- a list\n");
    }

    @Test
    void unknownKeysAreRejectedAtEveryLevel() {
        assertProblem("sourcce", null, MINIMAL + "sourcce: {}\n");
        assertProblem("source.tabel", null, MINIMAL.replace("table: public.suppliers",
                "table: public.suppliers, tabel: x"));
        assertProblem("silver.topik", null, MINIMAL + "silver: {topik: x}\n");
        assertProblem("lake.zone", null, MINIMAL + "lake: {zone: [bronze]}\n");
        assertProblem("validation.fields.id.requird", null, MINIMAL
                + "validation: {fields: {id: {requird: true}}}\n");
        assertProblem("validation.max-bytes", null, MINIMAL + "validation: {max-bytes: 3}\n");
        assertProblem("validation.dedupe", null, MINIMAL + "validation: {dedupe: {key: [id]}}\n");
    }

    @Test
    void theValidationSectionIsTheRuleLanguageOfTheConfiguration() {
        InvalidDatasetException e = assertProblem("validation.fields.id.type", null, MINIMAL
                + "validation: {fields: {id: {type: money}}}\n");
        assertTrue(e.getMessage().contains("unknown type 'money'"), e.getMessage());
        assertProblem("validation.fields.email.pattern", null, MINIMAL
                + "validation: {fields: {email: {pattern: '(['}}}\n");
        assertProblem("validation.max-record-bytes", null, MINIMAL + "validation: {max-record-bytes: lots}\n");
    }

    @Test
    void duplicateKeysAreRejected() {
        assertProblem("(document)", null, MINIMAL + "key: [other]\n");
    }

    private InvalidDatasetException assertProblem(String field, String message, String yaml) {
        InvalidDatasetException e = assertThrows(InvalidDatasetException.class, () -> parser.parse(FILE, yaml));
        assertEquals(FILE, e.file());
        assertEquals(field, e.field(), e.getMessage());
        assertTrue(e.getMessage().startsWith(FILE + ": " + field + ": "), e.getMessage());
        if (message != null) {
            assertEquals(message, e.getMessage());
        }
        return e;
    }
}
