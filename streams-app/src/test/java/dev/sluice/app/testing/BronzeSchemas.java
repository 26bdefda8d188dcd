package dev.sluice.app.testing;

import java.util.ArrayList;
import java.util.List;

import org.apache.avro.JsonProperties;
import org.apache.avro.Schema;

/**
 * Avro schemas shaped like the bronze topics' real ones: Debezium's unwrapped rows (ExtractNewRecordState with
 * {@code __op}, {@code __table}, {@code __lsn}, {@code __source_ts_ms}, {@code __deleted}) as Apicurio's Connect
 * converter writes them, with decimals as bytes with a decimal logical type and Connect parameters, and
 * timestamptz as ISO-8601 strings (ZonedTimestamp); the JDBC source's reference rows with timestamp-millis. Row
 * fields are nullable here so that tests can leave any field out; the validation rules must catch that.
 */
public final class BronzeSchemas {

    public static final Schema CUSTOMER_KEY = key("bronze.pg.customers", "id");
    public static final Schema PRODUCT_KEY = key("bronze.pg.products", "id");
    public static final Schema ORDER_KEY = key("bronze.pg.orders", "id");
    public static final Schema ORDER_ITEM_KEY = keyOf("bronze.pg.order_items", List.of(
            field("order_id", Schema.create(Schema.Type.LONG)), field("line_no", Schema.create(Schema.Type.INT))));
    public static final Schema RATE_KEY = key("bronze.warehouse.exchange_rates", "id");
    public static final Schema CATALOG_KEY = key("bronze.warehouse.product_catalog", "id");

    public static final Schema CUSTOMER = cdc("bronze.pg.customers", List.of(
            nullable("id", longType()), nullable("email", string()), nullable("full_name", string()),
            nullable("region", string()), nullable("country", string()), nullable("created_at", zoned()),
            nullable("updated_at", zoned())));
    public static final Schema PRODUCT = cdc("bronze.pg.products", List.of(
            nullable("id", longType()), nullable("sku", string()), nullable("name", string()),
            nullable("category", string()), nullable("price", decimal(12, 2)), nullable("currency", string()),
            nullable("updated_at", zoned())));
    public static final Schema ORDER = cdc("bronze.pg.orders", List.of(
            nullable("id", longType()), nullable("customer_id", longType()), nullable("status", string()),
            nullable("currency", string()), nullable("total_amount", decimal(12, 2)),
            nullable("ordered_at", zoned()), nullable("updated_at", zoned())));
    public static final Schema ORDER_ITEM = cdc("bronze.pg.order_items", List.of(
            nullable("order_id", longType()), nullable("line_no", Schema.create(Schema.Type.INT)),
            nullable("product_id", longType()), nullable("quantity", Schema.create(Schema.Type.INT)),
            nullable("unit_price", decimal(12, 2))));
    public static final Schema RATE = record("bronze.warehouse.exchange_rates", List.of(
            nullable("id", longType()), nullable("currency", string()), nullable("rate_to_eur", decimal(18, 8)),
            nullable("valid_from", timestampMillis()), nullable("updated_at", timestampMillis())));
    public static final Schema CATALOG = record("bronze.warehouse.product_catalog", List.of(
            nullable("id", longType()), nullable("sku", string()), nullable("supplier", string()),
            nullable("weight_grams", Schema.create(Schema.Type.INT)), nullable("description", string()),
            nullable("updated_at", timestampMillis())));

    /** The application's UserEvent, with every field nullable and occurred_at as timestamp-millis. */
    public static final Schema USER_EVENT = userEvent();

    private BronzeSchemas() {
    }

    /** {@code schema} with {@code field}'s type replaced by nullable {@code type}, to break a type rule. */
    public static Schema withFieldType(Schema schema, String field, Schema type) {
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field f : schema.getFields()) {
            fields.add(f.name().equals(field) ? nullable(field, type) : new Schema.Field(f, f.schema()));
        }
        Schema copy = Schema.createRecord(schema.getName(), null, schema.getNamespace() + ".broken" + field.replace("_", ""),
                false);
        copy.setFields(fields);
        return copy;
    }

    private static Schema userEvent() {
        Schema schema = Schema.createRecord("UserEvent", null, "dev.sluice.schemas.events", false);
        schema.setFields(List.of(nullable("event_id", string()), nullable("event_type", string()),
                nullable("user_id", string()), nullable("session_id", string()), nullable("product_id", longType()),
                nullable("quantity", Schema.create(Schema.Type.INT)), nullable("page", string()),
                nullable("occurred_at", timestampMillis())));
        return schema;
    }

    static Schema string() {
        return Schema.create(Schema.Type.STRING);
    }

    static Schema longType() {
        return Schema.create(Schema.Type.LONG);
    }

    private static Schema zoned() {
        Schema schema = Schema.create(Schema.Type.STRING);
        schema.addProp("connect.version", 1);
        schema.addProp("connect.name", "io.debezium.time.ZonedTimestamp");
        return schema;
    }

    private static Schema timestampMillis() {
        Schema schema = Schema.create(Schema.Type.LONG);
        schema.addProp("connect.version", 1);
        schema.addProp("connect.name", "org.apache.kafka.connect.data.Timestamp");
        schema.addProp("logicalType", "timestamp-millis");
        return new Schema.Parser().parse(schema.toString());
    }

    static Schema decimal(int precision, int scale) {
        return new Schema.Parser().parse("{\"type\":\"bytes\",\"scale\":" + scale + ",\"precision\":" + precision
                + ",\"connect.version\":1,\"connect.parameters\":{\"scale\":\"" + scale
                + "\",\"connect.decimal.precision\":\"" + precision + "\"},"
                + "\"connect.name\":\"org.apache.kafka.connect.data.Decimal\",\"logicalType\":\"decimal\"}");
    }

    private static Schema cdc(String topic, List<Schema.Field> row) {
        List<Schema.Field> fields = new ArrayList<>(row);
        fields.add(nullable("__op", string()));
        fields.add(nullable("__table", string()));
        fields.add(nullable("__lsn", longType()));
        fields.add(nullable("__source_ts_ms", longType()));
        fields.add(nullable("__deleted", string()));
        return record(topic, fields);
    }

    private static Schema record(String topic, List<Schema.Field> fields) {
        Schema schema = Schema.createRecord("Value", null, topic, false);
        schema.setFields(fields);
        return schema;
    }

    private static Schema key(String topic, String field) {
        return keyOf(topic, List.of(field(field, longType())));
    }

    private static Schema keyOf(String topic, List<Schema.Field> fields) {
        Schema schema = Schema.createRecord("Key", null, topic, false);
        schema.setFields(fields);
        return schema;
    }

    private static Schema.Field field(String name, Schema type) {
        return new Schema.Field(name, type);
    }

    static Schema.Field nullable(String name, Schema type) {
        return new Schema.Field(name, Schema.createUnion(Schema.create(Schema.Type.NULL), type), null,
                JsonProperties.NULL_VALUE);
    }
}
