package dev.sluice.connect.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

/** Partition fields per topic ({@code topic.partition.fields}) next to the common {@code partition.fields}. */
class RecordRoutersTest {

    private static final Schema ROW = SchemaBuilder.struct()
            .field("region", Schema.OPTIONAL_STRING_SCHEMA)
            .field("carrier", Schema.OPTIONAL_STRING_SCHEMA)
            .build();
    private static final long TS = Instant.parse("2026-12-02T13:04:05Z").toEpochMilli();

    private static S3ParquetSinkConfig config(String common, String perTopic) {
        Map<String, String> props = new HashMap<>();
        props.put("s3.bucket.name", "lake");
        props.put("partition.fields", common);
        props.put("topic.partition.fields", perTopic);
        return new S3ParquetSinkConfig(props);
    }

    private static String path(RecordRouters routers, String topic) {
        Struct value = new Struct(ROW).put("region", "EU").put("carrier", "dhl");
        return routers.route(new SinkRecord(topic, 0, null, null, ROW, value, 1, TS, TimestampType.CREATE_TIME))
                .partitionPath();
    }

    @Test
    void aNamedTopicIsPartitionedByItsOwnFieldsAndTheOthersByTheCommonOnes() {
        RecordRouters routers = new RecordRouters(config("region",
                "silver.shipments=region;carrier, bronze.pg.shipments=, silver.other = carrier"));

        assertEquals("year=2026/month=12/day=02/hour=13/region=EU/carrier=dhl", path(routers, "silver.shipments"));
        assertEquals("year=2026/month=12/day=02/hour=13", path(routers, "bronze.pg.shipments"));
        assertEquals("year=2026/month=12/day=02/hour=13/carrier=dhl", path(routers, "silver.other"));
        assertEquals("year=2026/month=12/day=02/hour=13/region=EU", path(routers, "silver.customers"));
        assertEquals(Map.of("silver.shipments", List.of("region", "carrier"), "bronze.pg.shipments", List.of(),
                "silver.other", List.of("carrier")), config("", "silver.shipments=region;carrier,bronze.pg.shipments=,"
                        + "silver.other=carrier").topicPartitionFields());
    }

    @Test
    void malformedEntriesAreRejectedNamingTheKey() {
        for (String bad : List.of("silver.x", "=region", "silver.x=region,silver.x=carrier", "silver.x=a;b;c;d",
                "silver.x=not a path")) {
            ConfigException e = assertThrows(ConfigException.class, () -> config("", bad), bad);
            assertTrue(e.getMessage().contains("topic.partition.fields"), e.getMessage());
        }
    }
}
