package dev.sluice.app.topology;

import java.util.List;

import dev.sluice.app.aggregate.AggregateSettings;
import dev.sluice.app.dataset.DatasetDirectory;
import dev.sluice.app.dataset.DatasetSettings;
import dev.sluice.app.dataset.DatasetSpec;
import dev.sluice.app.dataset.DatasetSpecParser;
import dev.sluice.app.enrich.EnrichSettings;
import dev.sluice.app.kafka.PipelineTopics;
import dev.sluice.app.silver.PiiSettings;
import dev.sluice.app.validate.EntityRules;
import dev.sluice.app.validate.ValidationRules;

/**
 * Everything configurable about the topology, gathered for {@link SluiceTopology}.
 *
 * @param rules the validation rules of the entities that are not datasets (orders, order items); where they name a
 *        dataset (the service refuses that at startup; the topology tests and the benchmark vary the rules of
 *        every entity in one place), they replace its validation and dedupe, while its silver schema stays derived
 *        from its specification
 * @param datasets the dataset specifications, each carried to silver by the generic pipeline
 */
public record TopologySettings(PipelineTopics topics, ValidationRules rules, PiiSettings pii, EnrichSettings enrich,
        AggregateSettings aggregate, boolean inMemoryStores, List<DatasetSpec> datasets) {

    public TopologySettings {
        datasets = List.copyOf(datasets);
    }

    /** With the built-in datasets (the shop's), as the topology tests and the benchmark run it. */
    public TopologySettings(PipelineTopics topics, ValidationRules rules, PiiSettings pii, EnrichSettings enrich,
            AggregateSettings aggregate, boolean inMemoryStores) {
        this(topics, rules, pii, enrich, aggregate, inMemoryStores, List.copyOf(DatasetDirectory.builtIn(
                new DatasetSpecParser(DatasetSettings.DEFAULT_CDC_CONNECTOR)).values()));
    }

    /** The validation and dedupe rules of {@code dataset}: its own unless {@link #rules} names it. */
    public EntityRules rulesOf(DatasetSpec dataset) {
        return rules.find(dataset.name()).orElse(dataset.rules());
    }
}
