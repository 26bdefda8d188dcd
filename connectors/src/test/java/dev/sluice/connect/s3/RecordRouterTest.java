package dev.sluice.connect.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.lake.PartitionPathFormatter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

class RecordRouterTest {

    private static final Schema CUSTOMER = SchemaBuilder.struct().optional()
            .field("region", Schema.OPTIONAL_STRING_SCHEMA).build();
    private static final Schema ORDER = SchemaBuilder.struct()
            .field("created_at", Timestamp.builder().optional().build())
            .field("created_ms", Schema.OPTIONAL_INT64_SCHEMA)
            .field("created_iso", Schema.OPTIONAL_STRING_SCHEMA)
            .field("customer", CUSTOMER)
            .field("tags", SchemaBuilder.array(Schema.STRING_SCHEMA).optional().build())
            .build();

    private static final long RECORD_TS = Instant.parse("2026-01-02T03:04:05Z").toEpochMilli();
    private static final long FIELD_TS = Instant.parse("2026-05-06T07:08:09Z").toEpochMilli();

    private static SinkRecord record(Struct value, Long timestamp) {
        return new SinkRecord("orders", 0, null, null, ORDER, value, 1, timestamp, TimestampType.CREATE_TIME);
    }

    private static RecordRouter router(String timestampField, String... fields) {
        return new RecordRouter(Optional.ofNullable(timestampField), List.of(fields),
                new PartitionPathFormatter(ZoneOffset.UTC, List.of(fields)));
    }

    @Test
    void takesEventTimeFromATimestampField() {
        Struct value = new Struct(ORDER).put("created_at", new java.util.Date(FIELD_TS));
        RecordRouter.Route route = router("created_at").route(record(value, RECORD_TS));
        assertEquals(FIELD_TS, route.eventTimeMillis());
        assertEquals("year=2026/month=05/day=06/hour=07", route.partitionPath());
    }

    @Test
    void understandsEpochMillisAndIsoStrings() {
        assertEquals(FIELD_TS, router("created_ms").route(record(new Struct(ORDER).put("created_ms", FIELD_TS),
                RECORD_TS)).eventTimeMillis());
        assertEquals(FIELD_TS, router("created_iso").route(record(new Struct(ORDER)
                .put("created_iso", "2026-05-06T09:08:09+02:00"), RECORD_TS)).eventTimeMillis());
    }

    @Test
    void fallsBackToTheRecordTimestamp() {
        assertEquals(RECORD_TS, router("created_at").route(record(new Struct(ORDER), RECORD_TS)).eventTimeMillis());
        assertEquals(RECORD_TS, router("no.such.field").route(record(new Struct(ORDER), RECORD_TS)).eventTimeMillis());
        assertEquals(RECORD_TS, router(null).route(record(new Struct(ORDER), RECORD_TS)).eventTimeMillis());
    }

    @Test
    void routesATombstoneByItsKafkaTimestampWithNullPartitionValues() {
        SinkRecord tombstone = new SinkRecord("orders", 0, null, "k", null, null, 1, RECORD_TS,
                TimestampType.CREATE_TIME);
        RecordRouter.Route route = router("created_at", "customer.region").route(tombstone);
        assertEquals(RECORD_TS, route.eventTimeMillis());
        assertEquals("year=2026/month=01/day=02/hour=03/customer_region=__HIVE_DEFAULT_PARTITION__",
                route.partitionPath());
        assertThrows(DataException.class, () -> router(null).route(new SinkRecord("orders", 0, null, "k", null, null,
                1, null, TimestampType.NO_TIMESTAMP_TYPE)), "a tombstone without a timestamp has no hour");
    }

    @Test
    void failsWithoutAnyEventTime() {
        DataException e = assertThrows(DataException.class,
                () -> router("created_at").route(record(new Struct(ORDER), null)));
        assertTrue(e.getMessage().contains("created_at"), e.getMessage());
    }

    @Test
    void rejectsUnparseableEventTimes() {
        assertThrows(DataException.class, () -> router("created_iso")
                .route(record(new Struct(ORDER).put("created_iso", "yesterday"), RECORD_TS)));
    }

    @Test
    void addsNestedFieldSegmentsEncoded() {
        Struct value = new Struct(ORDER).put("customer", new Struct(CUSTOMER).put("region", "../../etc"));
        assertEquals("year=2026/month=01/day=02/hour=03/customer_region=..%2F..%2Fetc",
                router(null, "customer.region").route(record(value, RECORD_TS)).partitionPath());
        assertEquals("year=2026/month=01/day=02/hour=03/customer_region=__HIVE_DEFAULT_PARTITION__",
                router(null, "customer.region").route(record(new Struct(ORDER), RECORD_TS)).partitionPath());
    }

    @Test
    void rejectsPartitionFieldsOfStructuredTypes() {
        Struct value = new Struct(ORDER).put("tags", List.of("a"));
        assertThrows(DataException.class, () -> router(null, "tags").route(record(value, RECORD_TS)));
    }
}
