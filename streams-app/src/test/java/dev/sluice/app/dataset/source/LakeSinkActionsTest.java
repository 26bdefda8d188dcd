package dev.sluice.app.dataset.source;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** How a dataset's topic enters and leaves a lake sink's configuration, in both lake formats. */
class LakeSinkActionsTest {

    private static final Map<String, String> PARQUET = Map.of("connector.class",
            "dev.sluice.connect.s3.S3ParquetSinkConnector", "topics", "silver.orders",
            "topic.partition.fields", "silver.orders=region");
    private static final Map<String, String> ICEBERG = Map.of("connector.class",
            "org.apache.iceberg.connect.IcebergSinkConnector", "topics", "silver.orders");

    @Test
    void theParquetSinkGetsTheTopicAndItsPartitionFieldsAndLosesThemAgain() {
        Map<String, String> added = LakeSinkActions.withTopic(PARQUET, "silver.shipments", List.of("region",
                "carrier"));
        assertEquals("silver.orders,silver.shipments", added.get("topics"));
        assertEquals("silver.orders=region,silver.shipments=region;carrier", added.get("topic.partition.fields"));
        assertEquals(added, LakeSinkActions.withTopic(added, "silver.shipments", List.of("region", "carrier")),
                "applying twice changes nothing");
        assertEquals(PARQUET, LakeSinkActions.withoutTopic(added, "silver.shipments"));
        assertEquals("silver.orders,silver.shipments", LakeSinkActions.withTopic(PARQUET, "silver.shipments",
                List.of()).get("topics"));
        assertEquals("silver.orders=region", LakeSinkActions.withTopic(PARQUET, "silver.shipments", List.of())
                .get("topic.partition.fields"), "no fields: the sink's common ones");
    }

    @Test
    void theIcebergSinkGetsThePartitionSpecOfTheTopicsTable() {
        Map<String, String> added = LakeSinkActions.withTopic(ICEBERG, "silver.shipments", List.of("region"));
        assertEquals("silver.orders,silver.shipments", added.get("topics"));
        assertEquals("hours(__kafka_timestamp),region", added.get("iceberg.table.silver.shipments.partition-by"));
        assertEquals(ICEBERG, LakeSinkActions.withoutTopic(added, "silver.shipments"));
    }
}
