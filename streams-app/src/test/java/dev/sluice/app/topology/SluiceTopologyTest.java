package dev.sluice.app.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyDescription;
import org.junit.jupiter.api.Test;

import dev.sluice.app.aggregate.AggregateSettings;
import dev.sluice.app.enrich.EnrichSettings;
import dev.sluice.app.failure.Stage;
import dev.sluice.app.kafka.PipelineTopics;
import dev.sluice.app.metrics.PipelineMetrics;
import dev.sluice.app.serde.RegistrySerdes;
import dev.sluice.app.serde.RegistrySettings;
import dev.sluice.app.silver.PiiSettings;
import dev.sluice.app.stores.StoreNames;
import dev.sluice.app.testing.InMemorySchemaSource;
import dev.sluice.app.testing.Out;
import dev.sluice.app.testing.PipelineDriver;
import dev.sluice.app.testing.Rows;
import dev.sluice.app.testing.TestConfig;
import dev.sluice.schemas.gold.ProductRevenueHourly;
import dev.sluice.schemas.silver.EnrichedOrder;
import dev.sluice.schemas.silver.EnrichedOrderLine;

/**
 * The shape of the topology: naming, topics, stores, building it twice; and one order travelling from bronze to gold.
 */
class SluiceTopologyTest {

    @Test
    void everyProcessorIsNamedForItsStage() {
        try (PipelineDriver pipeline = PipelineDriver.start()) {
            List<String> unnamed = new ArrayList<>();
            for (TopologyDescription.Subtopology sub : pipeline.topology().describe().subtopologies()) {
                for (TopologyDescription.Node node : sub.nodes()) {
                    if (Stage.ofNode(node.name()) == Stage.PROCESS) {
                        unnamed.add(node.name());
                    }
                }
            }
            for (TopologyDescription.GlobalStore store : pipeline.topology().describe().globalStores()) {
                assertNotEquals(Stage.PROCESS, Stage.ofNode(store.source().name()), store.source().name());
            }
            assertEquals(List.of(), unnamed, "processors whose failures could not be attributed to a stage");
        }
    }

    @Test
    void aSecondBuildReturnsTheSameTopologyUnchanged() {
        // TopologyFactory builds and describes the topology right after the DSL; Micronaut builds again before it
        // starts the streams. The published description is the running topology's only if that holds.
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "sluice-build-twice");
        config.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
        StreamsBuilder builder = new StreamsBuilder();
        new SluiceTopology(new TopologySettings(new PipelineTopics(), TestConfig.rules(), new PiiSettings(),
                new EnrichSettings(), new AggregateSettings(), true),
                new RegistrySerdes(new InMemorySchemaSource(), new RegistrySettings()), PipelineMetrics.inMemory())
                .build(builder);

        Topology first = builder.build(config);
        String described = first.describe().toString();
        Topology second = builder.build(config);

        assertSame(first, second, "the builder's one topology");
        assertEquals(described, second.describe().toString(), "nothing added or changed by the second build");
    }

    @Test
    void theGoldStoresCarryTheirPublishedNames() {
        try (PipelineDriver pipeline = PipelineDriver.start()) {
            Set<String> stores = new TreeSet<>();
            pipeline.topology().describe().subtopologies().forEach(sub -> sub.nodes().forEach(node -> {
                if (node instanceof TopologyDescription.Processor processor) {
                    stores.addAll(processor.stores());
                }
            }));
            for (String name : List.of(StoreNames.PRODUCT_REVENUE_HOURLY, StoreNames.REGION_REVENUE_DAILY,
                    StoreNames.CUSTOMER_TOTALS, StoreNames.USER_SESSIONS)) {
                assertTrue(stores.contains(name), name + " in " + stores);
            }
        }
    }

    @Test
    void anOrderTravelsFromBronzeToSilverAndGold() {
        try (PipelineDriver pipeline = PipelineDriver.start()) {
            pipeline.customer(Rows.customer(1));
            pipeline.product(Rows.product(7, "249.00", "EUR"));
            pipeline.order(Rows.order(100, 1, "EUR", "498.00", PipelineDriver.NOW.minusSeconds(60)));
            pipeline.item(Rows.item(100, 1, 7, 2, "249.00"));

            List<Out<String, EnrichedOrder>> orders = pipeline.read(pipeline.topics().getSilverOrders(),
                    EnrichedOrder.class);
            assertEquals(1, orders.size());
            assertEquals(List.of(), orders.get(0).value().getFlags());
            assertEquals("EMEA", orders.get(0).value().getCustomerRegion());
            List<Out<String, EnrichedOrderLine>> lines = pipeline.read(pipeline.topics().getSilverOrderLines(),
                    EnrichedOrderLine.class);
            assertEquals(1, lines.size());
            assertEquals("100:1", lines.get(0).key());
            assertEquals(new BigDecimal("498.00"), lines.get(0).value().getLineAmountReporting());
            List<Out<String, ProductRevenueHourly>> gold = pipeline.read(
                    pipeline.topics().getGoldProductRevenueHourly(), ProductRevenueHourly.class);
            assertFalse(gold.isEmpty());
            assertEquals(new BigDecimal("498.00"), gold.get(gold.size() - 1).value().getRevenue());
            for (Stage stage : Stage.values()) {
                assertEquals(List.of(), pipeline.deadLetters(stage), "nothing in " + stage.topic());
            }
        }
    }
}
