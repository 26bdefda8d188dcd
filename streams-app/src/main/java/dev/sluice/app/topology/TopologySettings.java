package dev.sluice.app.topology;

import dev.sluice.app.aggregate.AggregateSettings;
import dev.sluice.app.enrich.EnrichSettings;
import dev.sluice.app.kafka.PipelineTopics;
import dev.sluice.app.silver.PiiSettings;
import dev.sluice.app.validate.ValidationRules;

/** Everything configurable about the topology, gathered for {@link SluiceTopology}. */
public record TopologySettings(PipelineTopics topics, ValidationRules rules, PiiSettings pii, EnrichSettings enrich,
        AggregateSettings aggregate, boolean inMemoryStores) {
}
