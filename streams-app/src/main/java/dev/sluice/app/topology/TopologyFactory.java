package dev.sluice.app.topology;

import java.util.Map;

import org.apache.kafka.streams.kstream.KStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.sluice.app.aggregate.AggregateSettings;
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
     */
    @Singleton
    @Named("sluice")
    KStream<?, ?> sluiceTopology(@Named("default") ConfiguredStreamBuilder builder, PipelineTopics topics,
            ValidationRules rules, PiiSettings pii, EnrichSettings enrich, AggregateSettings aggregate,
            RegistrySettings registry, PipelineMetrics metrics, Tracing tracing, TopicInitializer topicsReady,
            @Value("${sluice.state.in-memory:false}") boolean inMemoryStores) {
        if (!new PiiPolicy(pii).keyed()) {
            LOG.warn("sluice.pii.hash-key is not set: PII hashes are unkeyed SHA-256, reversible by guessing inputs");
        }
        Map<String, Object> errorHandling = StreamsErrorHandling.config(metrics);
        builder.getConfiguration().putAll(errorHandling);
        LOG.info("building topology registry={} unknownIdTtl={} outageRetry={} reportingCurrency={} referenceWait={}"
                + " pii={} inMemoryStores={} tracing={}", registry.apiV2Url(), registry.getUnknownIdTtl(),
                registry.getOutageRetry(), enrich.getReportingCurrency(), enrich.getReferenceWait(), pii,
                inMemoryStores, tracing.enabled());
        TopologySettings settings = new TopologySettings(topics, rules, pii, enrich, aggregate, inMemoryStores);
        RegistrySerdes serdes = new RegistrySerdes(registry);
        metrics.bindRegistry(serdes.cache());
        return new SluiceTopology(settings, serdes, metrics, tracing).build(builder);
    }
}
