package dev.sluice.devstack;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.Test;

/** A restart of the platform keeps what datasets added to the demo connectors. */
class DatasetAdditionsTest {

    @Test
    void theDatasetsTablesTopicsAndPartitionsSurviveARegistrationFromTheTemplate() {
        Map<String, String> rendered = Map.of("topics", "silver.customers,silver.orders",
                "table.include.list", "public.customers,public.debezium_signal", "flush.size", "20000");
        Map<String, String> registered = Map.of("topics", "silver.customers,silver.orders,silver.shipments",
                "table.include.list", "public.customers,public.debezium_signal,public.shipments",
                "topic.partition.fields", "silver.shipments=region",
                "iceberg.table.silver.shipments.partition-by", "hours(__kafka_timestamp),region",
                "flush.size", "1", "rotate.idle.ms", "5");

        assertEquals(Map.of("topics", "silver.customers,silver.orders,silver.shipments",
                "table.include.list", "public.customers,public.debezium_signal,public.shipments",
                "topic.partition.fields", "silver.shipments=region",
                "iceberg.table.silver.shipments.partition-by", "hours(__kafka_timestamp),region",
                "flush.size", "20000"), DatasetAdditions.keep(registered, rendered),
                "the template's own settings win; other settings Connect holds are not kept");
        assertEquals(rendered, DatasetAdditions.keep(Map.of(), rendered), "a first registration is the template");
    }
}
