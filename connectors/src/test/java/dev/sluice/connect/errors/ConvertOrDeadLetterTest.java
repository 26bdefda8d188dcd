package dev.sluice.connect.errors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

/**
 * The transform with Kafka's real JsonConverter, which rejects what the registry's Avro converter rejects too: a
 * {@code Date} with a time of day, as the PostgreSQL driver reads {@code date 'infinity'}.
 */
class ConvertOrDeadLetterTest {

    private static final Schema KEY = SchemaBuilder.struct().name("k").field("id", Schema.INT64_SCHEMA).build();
    private static final Schema VALUE = SchemaBuilder.struct().name("v")
            .field("id", Schema.INT64_SCHEMA)
            .field("due", org.apache.kafka.connect.data.Date.builder().optional().build())
            .build();
    /** What the driver returns for {@code date 'infinity'}: PGStatement.DATE_POSITIVE_INFINITY. */
    private static final long INFINITY_MILLIS = 9223372036825200000L;
    private static final Map<String, ?> PARTITION = Map.of("table", "warehouse.public.invoices");
    private static final Map<String, ?> OFFSET = Map.of("incrementing", 7L);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void convertsGoodRecordsToBytesOnTheirTopic() throws Exception {
        ConvertOrDeadLetter<SourceRecord> transform = transform("dead-letter");
        SourceRecord out = transform.apply(record(new Date(86_400_000L * 3)));
        assertEquals("bronze.warehouse.invoices", out.topic());
        assertEquals(OFFSET, out.sourceOffset());
        assertEquals(Schema.OPTIONAL_BYTES_SCHEMA, out.valueSchema());
        JsonNode value = JSON.readTree((byte[]) out.value());
        assertEquals(3, value.path("due").asInt(), "a Connect Date is days since the epoch: " + value);
        assertEquals(7L, JSON.readTree((byte[]) out.key()).path("id").asLong());
        assertFalse(out.headers().iterator().hasNext(), "a good record gets no headers");
    }

    @Test
    void deadLettersARecordTheConverterRejectsWithItsPositionAndReason() throws Exception {
        ConvertOrDeadLetter<SourceRecord> transform = transform("dead-letter");
        SourceRecord out = transform.apply(record(new java.sql.Date(INFINITY_MILLIS)));

        assertEquals("dlq.source", out.topic());
        assertEquals(null, out.kafkaPartition());
        assertEquals(PARTITION, out.sourcePartition(), "the position stays, so Connect commits it after the send");
        assertEquals(OFFSET, out.sourceOffset());
        assertEquals(7L, JSON.readTree((byte[]) out.key()).path("id").asLong());
        JsonNode value = JSON.readTree((byte[]) out.value());
        assertEquals(7L, value.path("id").asLong());
        assertEquals("+292278994-08-16T23:00:00Z", value.path("due").asText(), "the raw value, as read");

        assertEquals("source", header(out, "sluice.error.stage"));
        assertEquals("SERIALIZATION_FAILED", header(out, "sluice.error.code"));
        assertTrue(header(out, "sluice.error.message").contains("Date type should not have any time fields"),
                header(out, "sluice.error.message"));
        assertEquals(DataException.class.getName(), header(out, "sluice.error.class"));
        assertEquals("bronze.warehouse.invoices", header(out, "sluice.source.topic"));
        assertEquals("warehouse.public.invoices", header(out, "sluice.source.table"));
        assertEquals("{\"incrementing\":7}", header(out, "sluice.source.position"));
        assertTrue(header(out, "sluice.error.time").endsWith("Z"));
    }

    @Test
    void failModeFailsTheTaskAsAFailingConverterDoes() {
        ConvertOrDeadLetter<SourceRecord> transform = transform("fail");
        assertThrows(DataException.class, () -> transform.apply(record(new java.sql.Date(INFINITY_MILLIS))));
    }

    @Test
    void aRegistryThatCannotBeReachedIsNoBadData() {
        assertFalse(ConvertOrDeadLetter.isBadData(new DataException("registry",
                new UncheckedIOException(new IOException("connection refused")))));
        assertTrue(ConvertOrDeadLetter.isBadData(new DataException("Date type should not have any time fields")));
    }

    @Test
    void anUnknownModeIsRejectedNamingTheKey() {
        Map<String, String> props = props("skip");
        ConfigException e = assertThrows(ConfigException.class, () -> new ConvertOrDeadLetter<>().configure(props));
        assertTrue(e.getMessage().contains("on.failure"), e.getMessage());
    }

    @Test
    void headerTextHasNoControlCharactersAndIsBounded() {
        assertEquals("a?b", SourceDeadLetter.sanitise("a\nb"));
        assertEquals(1003, SourceDeadLetter.sanitise("x".repeat(5000)).length());
    }

    private static ConvertOrDeadLetter<SourceRecord> transform(String mode) {
        ConvertOrDeadLetter<SourceRecord> transform = new ConvertOrDeadLetter<>();
        transform.configure(props(mode));
        return transform;
    }

    private static Map<String, String> props(String mode) {
        Map<String, String> props = new HashMap<>();
        props.put("converter", "org.apache.kafka.connect.json.JsonConverter");
        props.put("converter.schemas.enable", "false");
        props.put("on.failure", mode);
        return props;
    }

    private static SourceRecord record(Date due) {
        Struct key = new Struct(KEY).put("id", 7L);
        Struct value = new Struct(VALUE).put("id", 7L).put("due", due);
        return new SourceRecord(PARTITION, OFFSET, "bronze.warehouse.invoices", null, KEY, key, VALUE, value);
    }

    private static String header(SourceRecord record, String name) {
        return (String) record.headers().lastWithName(name).value();
    }
}
