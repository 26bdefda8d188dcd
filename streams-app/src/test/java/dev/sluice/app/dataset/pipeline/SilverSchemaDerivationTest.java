package dev.sluice.app.dataset.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

import dev.sluice.app.dataset.DatasetDirectory;
import dev.sluice.app.dataset.DatasetSpec;
import dev.sluice.app.dataset.DatasetSpecParser;
import dev.sluice.app.silver.PiiPolicy;
import dev.sluice.app.silver.PiiSettings;
import dev.sluice.app.testing.BronzeSchemas;
import dev.sluice.schemas.silver.CleanUserEvent;
import dev.sluice.schemas.silver.Customer;
import dev.sluice.schemas.silver.ExchangeRate;
import dev.sluice.schemas.silver.Product;
import dev.sluice.schemas.silver.ProductCatalogEntry;

class SilverSchemaDerivationTest {

    private static final DatasetSpecParser PARSER = new DatasetSpecParser("shop-cdc");
    private static final SortedMap<String, DatasetSpec> SHOP = DatasetDirectory.builtIn(PARSER);

    @Test
    void theShopSpecificationsDeriveTodaysSilverSchemas() {
        Map<String, Schema[]> bronzeAndSilver = Map.of(
                "customers", new Schema[] {BronzeSchemas.CUSTOMER, Customer.SCHEMA$},
                "products", new Schema[] {BronzeSchemas.PRODUCT, Product.SCHEMA$},
                "exchange_rates", new Schema[] {BronzeSchemas.RATE, ExchangeRate.SCHEMA$},
                "product_catalog", new Schema[] {BronzeSchemas.CATALOG, ProductCatalogEntry.SCHEMA$},
                "user_events", new Schema[] {BronzeSchemas.USER_EVENT, CleanUserEvent.SCHEMA$});
        assertEquals(SHOP.keySet(), new java.util.TreeSet<>(bronzeAndSilver.keySet()));
        bronzeAndSilver.forEach((name, schemas) -> {
            DatasetSpec spec = SHOP.get(name);
            Schema derived = SilverSchemaDerivation.derive(schemas[0], spec, spec.rules()).schema();
            Schema today = schemas[1];
            assertEquals(today.getFullName(), derived.getFullName(), name);
            assertEquals(names(today), names(derived), name);
            assertCompatible(derived, today, name + ": today's class reads the derived schema");
            assertCompatible(today, derived, name + ": the derived schema reads today's");
            for (Schema.Field field : today.getFields()) {
                assertEquals(field.schema().getType(), derived.getField(field.name()).schema().getType(),
                        name + "." + field.name());
                assertEquals(field.schema().getLogicalType(), derived.getField(field.name()).schema()
                        .getLogicalType(), name + "." + field.name());
            }
        });
    }

    @Test
    void aCdcRowBecomesItsSilverRecord() {
        DatasetSpec spec = SHOP.get("customers");
        SilverShape shape = SilverSchemaDerivation.derive(BronzeSchemas.CUSTOMER, spec, spec.rules());
        GenericRecord row = new GenericData.Record(BronzeSchemas.CUSTOMER);
        row.put("id", 7L);
        row.put("email", " Ada@Example.COM ");
        row.put("full_name", "Ada Lovelace");
        row.put("region", "EMEA");
        row.put("country", "GB");
        row.put("created_at", "2026-11-22T09:00:00.123456Z");
        row.put("updated_at", "2026-11-22T10:00:00+01:00");
        row.put("__op", "u");
        row.put("__lsn", 42L);
        row.put("__source_ts_ms", 1_000L);
        row.put("__deleted", "false");
        PiiSettings settings = new PiiSettings();
        settings.setHashKey("k");
        PiiPolicy pii = new PiiPolicy(settings);
        GenericRecord silver = shape.build(row, 5L, pii);
        assertEquals(7L, silver.get("customer_id"));
        assertEquals(pii.email("ada@example.com"), silver.get("email"));
        assertEquals("A*** L***", silver.get("full_name"));
        assertEquals(Instant.parse("2026-11-22T09:00:00.123Z").toEpochMilli(), silver.get("created_at"));
        assertEquals(Instant.parse("2026-11-22T09:00:00Z").toEpochMilli(), silver.get("updated_at"));
        assertEquals(false, silver.get("deleted"));
        assertEquals("u", silver.get("op"));
        assertEquals(42L, silver.get("source_lsn"));
        assertEquals(1_000L, silver.get("source_ts"));
        assertTrue(GenericData.get().validate(shape.schema(), silver));
        row.put("__op", "d");
        assertEquals(true, shape.build(row, 5L, pii).get("deleted"), "a delete is deleted whatever __deleted says");
    }

    @Test
    void piiRenameReceivedAtTimestampsAndDecimalsOfANewTable() {
        DatasetSpec spec = PARSER.parse("suppliers.yaml", """
                name: suppliers
                source: {kind: topic, topic: bronze.events.suppliers}
                validation: {fields: {since: {type: timestamp}, id: {required: true}}}
                pii: {contact: mask}
                silver: {rename: {id: supplier_id}, received-at: received_at}
                """);
        Schema bronze = new Schema.Parser().parse("""
                {"type": "record", "name": "Supplier", "fields": [
                  {"name": "id", "type": ["null", "long"], "default": null},
                  {"name": "contact", "type": "string"},
                  {"name": "rating", "type": {"type": "bytes", "logicalType": "decimal", "precision": 5, "scale": 2,
                      "connect.name": "org.apache.kafka.connect.data.Decimal"}},
                  {"name": "since", "type": ["null", "string"], "default": null},
                  {"name": "seen_at", "type": {"type": "long", "connect.name": "io.debezium.time.MicroTimestamp"}},
                  {"name": "tier", "type": "int", "default": 3}
                ]}""");
        SilverShape shape = SilverSchemaDerivation.derive(bronze, spec, spec.rules());
        Schema silver = shape.schema();
        assertEquals("dev.sluice.datasets.Suppliers", silver.getFullName());
        assertEquals(List.of("supplier_id", "contact", "rating", "since", "seen_at", "tier", "received_at"),
                names(silver));
        assertEquals(Schema.Type.LONG, silver.getField("supplier_id").schema().getType(), "required by the rules");
        assertEquals(optional(Schema.create(Schema.Type.STRING)), silver.getField("contact").schema(), "PII");
        assertEquals(LogicalTypes.decimal(5, 2), silver.getField("rating").schema().getLogicalType());
        assertNull(silver.getField("rating").schema().getProp("connect.name"), "converter properties dropped");
        assertEquals(optional(timestampMillis()), silver.getField("since").schema());
        assertEquals(timestampMillis(), silver.getField("seen_at").schema());
        assertEquals(3, silver.getField("tier").defaultVal(), "a column default is carried");
        assertEquals(timestampMillis(), silver.getField("received_at").schema());

        GenericRecord row = new GenericData.Record(bronze);
        row.put("id", 1L);
        row.put("contact", "Grace Hopper");
        row.put("rating", ByteBuffer.wrap(new BigDecimal("4.25").unscaledValue().toByteArray()));
        row.put("since", "2020-01-01T00:00:00Z");
        row.put("seen_at", 1_700_000_000_123_456L);
        row.put("tier", 1);
        GenericRecord out = shape.build(row, 99L, new PiiPolicy(new PiiSettings()));
        assertEquals("G*** H***", out.get("contact"));
        assertEquals(ByteBuffer.wrap(new BigDecimal("4.25").unscaledValue().toByteArray()), out.get("rating"));
        assertEquals(Instant.parse("2020-01-01T00:00:00Z").toEpochMilli(), out.get("since"));
        assertEquals(1_700_000_000_123L, out.get("seen_at"));
        assertEquals(99L, out.get("received_at"));
        assertTrue(GenericData.get().validate(silver, out));
    }

    @Test
    void whatCannotBeCarriedIsNamed() {
        Schema bronze = new Schema.Parser().parse("""
                {"type": "record", "name": "T", "fields": [
                  {"name": "id", "type": "long"}, {"name": "op", "type": "string"},
                  {"name": "__op", "type": ["null", "string"], "default": null}]}""");
        DatasetSpec piiOnNumber = PARSER.parse("t.yaml", "name: t\nsource: {kind: topic, topic: t}\npii: {id: hash}\n");
        UnderivableSchemaException e = assertThrows(UnderivableSchemaException.class,
                () -> SilverSchemaDerivation.derive(bronze, piiOnNumber, piiOnNumber.rules()));
        assertTrue(e.getMessage().startsWith("pii.id: "), e.getMessage());
        DatasetSpec piiMissing = PARSER.parse("t.yaml", "name: t\nsource: {kind: topic, topic: t}\npii: {mail: hash}\n");
        e = assertThrows(UnderivableSchemaException.class,
                () -> SilverSchemaDerivation.derive(bronze, piiMissing, piiMissing.rules()));
        assertTrue(e.getMessage().startsWith("pii.mail: "), e.getMessage());
        DatasetSpec plain = PARSER.parse("t.yaml", "name: t\nsource: {kind: topic, topic: t}\n");
        e = assertThrows(UnderivableSchemaException.class,
                () -> SilverSchemaDerivation.derive(bronze, plain, plain.rules()));
        assertTrue(e.getMessage().contains("two silver columns named op"), e.getMessage());
    }

    private static void assertCompatible(Schema reader, Schema writer, String what) {
        SchemaCompatibility.SchemaPairCompatibility result = SchemaCompatibility.checkReaderWriterCompatibility(
                reader, writer);
        assertEquals(SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE, result.getType(),
                what + ": " + result.getResult().getIncompatibilities());
    }

    private static List<String> names(Schema schema) {
        return schema.getFields().stream().map(Schema.Field::name).toList();
    }

    private static Schema optional(Schema type) {
        return Schema.createUnion(Schema.create(Schema.Type.NULL), type);
    }

    private static Schema timestampMillis() {
        return LogicalTypes.timestampMillis().addToSchema(Schema.create(Schema.Type.LONG));
    }
}
