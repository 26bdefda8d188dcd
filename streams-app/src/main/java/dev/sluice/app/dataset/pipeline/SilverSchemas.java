package dev.sluice.app.dataset.pipeline;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.sluice.app.dataset.DatasetSpec;
import dev.sluice.app.metrics.PipelineMetrics;
import dev.sluice.app.serde.SchemaCache;
import dev.sluice.app.validate.EntityRules;

/**
 * The silver schemas of one dataset, one per bronze writer schema met, derived once and cached for the life of the
 * topology. A new silver schema is registered under {@code <silver topic>-value} only if it can read every version
 * the subject has (Avro {@link SchemaCompatibility}, checked here: the registry enforces no rule); a source that adds
 * an optional column thus yields a new silver version carrying it. A bronze schema whose silver schema cannot be
 * derived or is incompatible is rejected, logged and counted once; its records go to the dead-letter topic.
 * Thread-safe.
 */
public final class SilverSchemas {

    private static final Logger LOG = LoggerFactory.getLogger(SilverSchemas.class);
    private static final Pattern FIELD_LOCATION = Pattern.compile("^/fields/(\\d+)");

    /** The silver schema of one bronze schema, or why there is none. */
    public record Outcome(SilverShape shape, String rejection) {

        public boolean rejected() {
            return rejection != null;
        }
    }

    private final DatasetSpec spec;
    private final EntityRules rules;
    private final SchemaCache cache;
    private final PipelineMetrics metrics;
    private final String subject;
    /** Keyed by the bronze schema instance: the schema cache hands out one instance per schema id. */
    private final Map<Schema, Outcome> outcomes = new ConcurrentHashMap<>();

    public SilverSchemas(DatasetSpec spec, EntityRules rules, SchemaCache cache, PipelineMetrics metrics) {
        this.spec = spec;
        this.rules = rules;
        this.cache = cache;
        this.metrics = metrics;
        this.subject = spec.silver().topic() + "-value";
    }

    /**
     * The outcome for records of {@code bronze}.
     *
     * @throws dev.sluice.app.serde.RegistryUnavailableException when the registry cannot answer (nothing is cached:
     *         the next record asks again)
     */
    public Outcome of(Schema bronze) {
        Outcome outcome = outcomes.get(bronze);
        return outcome != null ? outcome : resolve(bronze);
    }

    /** One at a time: two new bronze schemas must not register silver versions checked without each other. */
    private synchronized Outcome resolve(Schema bronze) {
        Outcome known = outcomes.get(bronze);
        if (known != null) {
            return known;
        }
        Outcome outcome;
        try {
            SilverShape shape = SilverSchemaDerivation.derive(bronze, spec, rules);
            String incompatible = incompatibility(shape.schema(), cache.source().versions(subject));
            if (incompatible == null) {
                int id = cache.writerId(subject, shape.schema());
                LOG.info("silver schema dataset={} subject={} id={} bronze={} fields={}", spec.name(), subject, id,
                        bronze.getFullName(), shape.schema().getFields().size());
                outcome = new Outcome(shape, null);
            } else {
                outcome = reject(bronze, "the silver schema derived from bronze schema " + bronze.getFullName()
                        + " cannot read every earlier version of " + subject + ": " + incompatible);
            }
        } catch (UnderivableSchemaException e) {
            outcome = reject(bronze, "bronze schema " + bronze.getFullName() + " cannot be carried to silver: "
                    + e.getMessage());
        }
        outcomes.put(bronze, outcome);
        return outcome;
    }

    private Outcome reject(Schema bronze, String reason) {
        String message = "dataset " + spec.name() + ": " + reason;
        LOG.warn("silver schema rejected dataset={} subject={} bronze={}: {}; its records go to dlq.enrich",
                spec.name(), subject, bronze.getFullName(), reason);
        metrics.silverSchemaRejected(spec.name());
        return new Outcome(null, message);
    }

    /** Null when {@code candidate} reads data written with every one of {@code versions}; else what breaks. */
    static String incompatibility(Schema candidate, List<Schema> versions) {
        for (int i = 0; i < versions.size(); i++) {
            SchemaCompatibility.SchemaPairCompatibility pair = SchemaCompatibility
                    .checkReaderWriterCompatibility(candidate, versions.get(i));
            if (pair.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
                return "version " + (i + 1) + ": " + pair.getResult().getIncompatibilities().stream()
                        .map(x -> field(candidate, x.getLocation()) + ": " + x.getType() + " (" + x.getMessage()
                                + ")")
                        .collect(Collectors.joining("; "));
            }
        }
        return null;
    }

    /** The silver field a location such as {@code /fields/3/type/1} is in, by name; the location otherwise. */
    private static String field(Schema candidate, String location) {
        Matcher m = FIELD_LOCATION.matcher(location);
        if (m.find()) {
            int index = Integer.parseInt(m.group(1));
            if (index < candidate.getFields().size()) {
                return "field " + candidate.getFields().get(index).name() + " (" + location + ")";
            }
        }
        return location;
    }
}
