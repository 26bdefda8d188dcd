package dev.sluice.app.topology;

import java.time.Clock;
import java.util.Map;

import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.kstream.KStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.sluice.app.aggregate.AggregateSettings;
import dev.sluice.app.dataset.LoadedDatasets;
import dev.sluice.app.dlq.StreamsErrorHandling;
import dev.sluice.app.enrich.EnrichSettings;
import dev.sluice.app.kafka.PipelineTopics;
import dev.sluice.app.kafka.TopicInitializer;
import dev.sluice.app.metrics.PipelineMetrics;
import dev.sluice.app.serde.RegistrySerdes;
import dev.sluice.app.serde.RegistrySettings;
import dev.sluice.app.silver.PiiPolicy;
import dev.sluice.app.silver.PiiSettings;
import dev.sluice.app.tracing.Tracing;
import dev.sluice.app.validate.ValidationRules;
import io.micronaut.configuration.kafka.streams.ConfiguredStreamBuilder;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.env.Environment;
import io.micronaut.core.naming.conventions.StringConvention;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

/**
 * Runtime wiring of the topology into Micronaut's Kafka Streams support. Topology construction itself lives in
 * {@link SluiceTopology}.
 */
@Factory
public class TopologyFactory {

    private static final Logger LOG = LoggerFactory.getLogger(TopologyFactory.class);

    @Singleton
    PipelineMetrics pipelineMetrics(MeterRegistry registry) {
        return new PipelineMetrics(registry);
    }

    /** The declarative validation rules of {@code sluice.validation}; a wrong rule fails startup naming its key. */
    @Singleton
    ValidationRules validationRules(Environment environment) {
        return ValidationRules.parse(environment.getProperties("sluice.validation", StringConvention.RAW));
    }

    /**
     * Builds the topology of the {@code default} streams configuration and routes Kafka Streams' own error paths to
     * the dead-letter topics. Depends on {@link TopicInitializer} so that every topic exists before the streams
     * start.
     * <p>
     * The builder then builds the {@link org.apache.kafka.streams.Topology} here, with the streams' configuration,
     * for its description. That is the object Micronaut's own {@code build} returns a moment later and Kafka Streams
     * runs: the builder returns the same topology from every {@code build}, and a second one adds nothing, as every
     * node is written already. This happens before the streams start, never while their threads use the topology.
     */
    @Singleton
    BuiltTopology builtTopology(@Named("default") ConfiguredStreamBuilder builder, PipelineTopics topics,
            ValidationRules rules, LoadedDatasets datasets, PiiSettings pii, EnrichSettings enrich,
            AggregateSettings aggregate, RegistrySettings registry, PipelineMetrics metrics, Tracing tracing,
            TopicInitializer topicsReady, Clock clock, @Value("${sluice.state.in-memory:false}") boolean inMemoryStores) {
        if (!new PiiPolicy(pii).keyed()) {
            LOG.warn("sluice.pii.hash-key is not set: PII hashes are unkeyed SHA-256, reversible by guessing inputs");
        }
        Map<String, Object> errorHandling = StreamsErrorHandling.config(metrics, clock);
        builder.getConfiguration().putAll(errorHandling);
        LOG.info("building topology registry={} unknownIdTtl={} outageRetry={} reportingCurrency={} referenceWait={}"
                + " pii={} inMemoryStores={} tracing={}", registry.apiV2Url(), registry.getUnknownIdTtl(),
                registry.getOutageRetry(), enrich.getReportingCurrency(), enrich.getReferenceWait(), pii,
                inMemoryStores, tracing.enabled());
        TopologySettings settings = new TopologySettings(topics, rules, pii, enrich, aggregate, inMemoryStores,
                datasets.specs());
        RegistrySerdes serdes = new RegistrySerdes(registry);
        metrics.bindRegistry(serdes.cache());
        KStream<?, ?> stream = new SluiceTopology(settings, serdes, metrics, tracing).build(builder);
        return new BuiltTopology(stream, builder.build(builder.getConfiguration()).describe());
    }

    /** The Sluice topology, which Micronaut's Kafka Streams factory waits for before building and starting. */
    @Singleton
    @Named("sluice")
    KStream<?, ?> sluiceTopology(BuiltTopology built) {
        return built.stream();
    }

    /** The description of the topology Kafka Streams runs (status graph, lag inputs, store layout, leadership). */
    @Singleton
    TopologyDescription runningTopology(BuiltTopology built) {
        return built.description();
    }
}
