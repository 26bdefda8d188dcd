package dev.sluice.app.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;

import dev.sluice.app.dataset.DatasetSpec;
import dev.sluice.app.dataset.DatasetSpecParser;

/** The topics TopicInitializer creates for dataset specifications, and their configs. */
class DatasetTopicsTest {

    private static final DatasetSpecParser PARSER = new DatasetSpecParser("shop-cdc");

    @Test
    void eachDatasetGetsItsBronzeAndSilverTopicCompactedAsItsSpecificationSays() {
        DatasetSpec suppliers = PARSER.parse("suppliers.yaml",
                "name: suppliers\nsource: {kind: cdc, table: public.suppliers}\nkey: [id]\n");
        DatasetSpec clicks = PARSER.parse("clicks.yaml",
                "name: clicks\nsource: {kind: topic, topic: bronze.events.clicks}\n");
        DatasetSpec rates = PARSER.parse("rates.yaml", "name: rates\nsource: {kind: topic, topic: bronze.events.rates}\n"
                + "silver: {topic: silver.fx, compacted: true}\n");
        PipelineTopics topics = new PipelineTopics();
        Map<String, Map<String, String>> wanted = TopicInitializer.wanted(topics, List.of(suppliers, clicks, rates));

        assertEquals(deleted(topics.getRetention().getBronze()), wanted.get("bronze.pg.suppliers"));
        assertEquals(compacted(), wanted.get("silver.suppliers"));
        assertEquals(deleted(topics.getRetention().getBronze()), wanted.get("bronze.events.clicks"));
        assertEquals(deleted(topics.getRetention().getSilver()), wanted.get("silver.clicks"));
        assertEquals(compacted(), wanted.get("silver.fx"));
        assertEquals(topics.all().size() + 6, wanted.size());
    }

    @Test
    void theShopDatasetsKeepThePipelinesTopicConfigs() {
        PipelineTopics topics = new PipelineTopics();
        Map<String, Map<String, String>> none = TopicInitializer.wanted(topics, List.of());
        DatasetSpec customers = PARSER.parse("customers.yaml",
                "name: customers\nsource: {kind: cdc, table: public.customers}\nkey: [id]\n");
        assertEquals(none, TopicInitializer.wanted(topics, List.of(customers)));
        assertEquals(compacted(), none.get(topics.getSilverCustomers()));
    }

    private static Map<String, String> compacted() {
        return Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
    }

    private static Map<String, String> deleted(Duration keep) {
        return Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                TopicConfig.RETENTION_MS_CONFIG, Long.toString(keep.toMillis()));
    }
}
