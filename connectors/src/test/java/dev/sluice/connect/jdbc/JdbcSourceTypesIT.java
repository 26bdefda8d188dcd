package dev.sluice.connect.jdbc;

import static dev.sluice.connect.jdbc.JdbcSourceItSupport.connectorConfig;
import static dev.sluice.connect.jdbc.JdbcSourceItSupport.createTopicFor;
import static dev.sluice.connect.jdbc.JdbcSourceItSupport.deleteConnector;
import static dev.sluice.connect.jdbc.JdbcSourceItSupport.execute;
import static dev.sluice.connect.jdbc.JdbcSourceItSupport.unique;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.connect.admin.ConnectRestClient;
import dev.sluice.embedded.ConnectWorker;
import dev.sluice.embedded.EmbeddedPlatformExtension;
import dev.sluice.embedded.KafkaBroker;
import dev.sluice.embedded.PostgresServer;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every SQL type of a PostgreSQL table travels through the real connector, Connect worker and broker and is read
 * back with the JsonConverter: schema types, optionality and values, including nulls.
 */
@ExtendWith(EmbeddedPlatformExtension.class)
class JdbcSourceTypesIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String UNICODE = "Grüße, 東京, Ελλάδα, 🚀";
    private static final String UUID_TEXT = "0e3a6f5e-8a0b-4c55-9d1d-3f6b0e9b7c21";

    @Test
    void everyColumnTypeRoundTrips(PostgresServer postgres, KafkaBroker kafka, ConnectWorker connect)
            throws Exception {
        String table = unique("jdbc_types");
        execute(postgres, "CREATE TABLE " + table + " ("
                + "id bigint PRIMARY KEY, "
                + "c_smallint smallint, c_int integer, c_bigint bigint, "
                + "c_real real, c_double double precision, "
                + "c_numeric numeric(12,4), c_numeric_int numeric(20,0), c_numeric_free numeric, "
                + "c_bool boolean, "
                + "c_text text, c_varchar varchar(40), c_char char(5), "
                + "c_bytea bytea, "
                + "c_date date, c_time time, c_timetz timetz, "
                + "c_ts timestamp, c_tstz timestamptz, "
                + "c_uuid uuid, c_json json, c_jsonb jsonb, "
                + "c_required text NOT NULL)");
        execute(postgres, "INSERT INTO " + table + " VALUES (1, "
                + "-32768, 2147483647, -9223372036854775808, "
                + "1.5, 2.718281828459045, "
                + "-12345678.9012, 98765432109876543210, 3.14159265358979323846264338327950288, "
                + "true, "
                + "'" + UNICODE + "', 'varchar ✓', 'ab', "
                + "'\\x00ff10807f'::bytea, "
                + "'1969-07-20', '23:59:59.999', '10:15:30+02', "
                + "'2026-03-29 01:30:00.123456', '2026-03-29 01:30:00.123456+02', "
                + "'" + UUID_TEXT + "', '{\"a\": [1, 2]}', '{\"b\": true}', "
                + "'present')",
                "INSERT INTO " + table + " (id, c_required) VALUES (2, '')");

        String topic = createTopicFor(kafka, table);
        String connector = unique("jdbc-types");
        Map<String, String> config = connectorConfig(postgres, table, "incrementing");
        config.put("incrementing.column.name", "id");
        ConnectRestClient rest = new ConnectRestClient(connect.restUrl());
        rest.putConfig(connector, config);
        try (TopicRecords records = new TopicRecords(kafka, topic)) {
            List<TopicRecords.Row> rows = records.awaitUntil("both rows", TIMEOUT, all -> all.size() >= 2);
            assertEquals(2, rows.size());
            TopicRecords.Row full = rows.get(0);
            TopicRecords.Row empty = rows.get(1);

            assertEquals(1L, full.key().get("id"), "the key is the incrementing column");
            assertEquals(List.of("id"), full.key().schema().fields().stream().map(Field::name).toList());

            Schema schema = full.value().schema();
            assertType(schema, "id", Schema.Type.INT64, null, false);
            assertType(schema, "c_smallint", Schema.Type.INT16, null, true);
            assertType(schema, "c_int", Schema.Type.INT32, null, true);
            assertType(schema, "c_bigint", Schema.Type.INT64, null, true);
            assertType(schema, "c_real", Schema.Type.FLOAT32, null, true);
            assertType(schema, "c_double", Schema.Type.FLOAT64, null, true);
            assertType(schema, "c_numeric", Schema.Type.BYTES, Decimal.LOGICAL_NAME, true);
            assertEquals("4", schema.field("c_numeric").schema().parameters().get(Decimal.SCALE_FIELD));
            assertType(schema, "c_numeric_int", Schema.Type.BYTES, Decimal.LOGICAL_NAME, true);
            assertType(schema, "c_numeric_free", Schema.Type.STRING, null, true);
            assertType(schema, "c_bool", Schema.Type.BOOLEAN, null, true);
            assertType(schema, "c_text", Schema.Type.STRING, null, true);
            assertType(schema, "c_varchar", Schema.Type.STRING, null, true);
            assertType(schema, "c_char", Schema.Type.STRING, null, true);
            assertType(schema, "c_bytea", Schema.Type.BYTES, null, true);
            assertType(schema, "c_date", Schema.Type.INT32, org.apache.kafka.connect.data.Date.LOGICAL_NAME, true);
            assertType(schema, "c_time", Schema.Type.INT32, Time.LOGICAL_NAME, true);
            assertType(schema, "c_timetz", Schema.Type.STRING, null, true);
            assertType(schema, "c_ts", Schema.Type.INT64, Timestamp.LOGICAL_NAME, true);
            assertType(schema, "c_tstz", Schema.Type.INT64, Timestamp.LOGICAL_NAME, true);
            assertType(schema, "c_uuid", Schema.Type.STRING, null, true);
            assertType(schema, "c_json", Schema.Type.STRING, null, true);
            assertType(schema, "c_jsonb", Schema.Type.STRING, null, true);
            assertType(schema, "c_required", Schema.Type.STRING, null, false);

            Struct v = full.value();
            assertEquals((short) -32768, v.get("c_smallint"));
            assertEquals(2147483647, v.get("c_int"));
            assertEquals(Long.MIN_VALUE, v.get("c_bigint"));
            assertEquals(1.5f, v.get("c_real"));
            assertEquals(2.718281828459045, v.get("c_double"));
            assertEquals(new BigDecimal("-12345678.9012"), v.get("c_numeric"));
            assertEquals(new BigDecimal("98765432109876543210"), v.get("c_numeric_int"));
            assertEquals("3.14159265358979323846264338327950288", v.get("c_numeric_free"));
            assertEquals(true, v.get("c_bool"));
            assertEquals(UNICODE, v.get("c_text"));
            assertEquals("varchar ✓", v.get("c_varchar"));
            assertEquals("ab   ", v.get("c_char"), "char(n) keeps its padding");
            assertArrayEquals(new byte[] {0x00, (byte) 0xff, 0x10, (byte) 0x80, 0x7f}, (byte[]) v.get("c_bytea"));
            assertEquals(new Date(LocalDate.parse("1969-07-20").toEpochDay() * 86_400_000L), v.get("c_date"));
            assertEquals(new Date(LocalTime.parse("23:59:59.999").toNanoOfDay() / 1_000_000L), v.get("c_time"));
            assertEquals("10:15:30+02:00", v.get("c_timetz"));
            assertEquals(Date.from(Instant.parse("2026-03-29T01:30:00.123Z")), v.get("c_ts"),
                    "timestamp without time zone is read in db.timezone (UTC), milliseconds kept");
            assertEquals(Date.from(Instant.parse("2026-03-28T23:30:00.123Z")), v.get("c_tstz"),
                    "timestamptz is the instant");
            assertEquals(UUID_TEXT, v.get("c_uuid"));
            assertEquals("{\"a\": [1, 2]}", v.get("c_json"), "json keeps its text");
            assertEquals("{\"b\": true}", v.get("c_jsonb"));
            assertEquals("present", v.get("c_required"));

            Struct nulls = empty.value();
            for (Field field : nulls.schema().fields()) {
                if (!field.name().equals("id") && !field.name().equals("c_required")) {
                    assertNull(nulls.get(field), field.name() + " is null");
                }
            }
            assertEquals("", nulls.get("c_required"), "an empty string is not a null");
        } finally {
            deleteConnector(rest, connector);
        }
    }

    private static void assertType(Schema value, String field, Schema.Type type, String logicalName,
                                   boolean optional) {
        Schema schema = value.field(field).schema();
        assertEquals(type, schema.type(), field + " type");
        assertEquals(logicalName, schema.name(), field + " logical type");
        if (optional) {
            assertTrue(schema.isOptional(), field + " is optional");
        } else {
            assertFalse(schema.isOptional(), field + " is required");
        }
    }
}
