package dev.sluice.connect.s3;

import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.avro.Schema;

/**
 * What the converter derives from Connect value schemas, keyed by canonical instances so that it grows with distinct
 * schemas, not with records, and bounded: past {@value #MAX_CACHED_SCHEMAS} distinct schemas it starts over. Open
 * files keep their Avro schemas; what they need is simply derived again.
 *
 * <p>Not thread-safe; one per task.
 */
final class ConnectSchemaCache {

    private static final int MAX_CACHED_SCHEMAS = 1000;

    /** Fast path: schema instances seen before, to their canonical (first seen equal) instance. */
    private final Map<org.apache.kafka.connect.data.Schema, org.apache.kafka.connect.data.Schema> canonicalByIdentity =
            new IdentityHashMap<>();
    private final Map<org.apache.kafka.connect.data.Schema, org.apache.kafka.connect.data.Schema> canonicalByEquality =
            new HashMap<>();
    /** Keyed by canonical instances. */
    private final Map<org.apache.kafka.connect.data.Schema, Schema> avroSchemas = new IdentityHashMap<>();
    /** File schema to (canonical value schema to projection). */
    private final Map<Schema, Map<org.apache.kafka.connect.data.Schema, Projection>> projections =
            new IdentityHashMap<>();
    private final Map<org.apache.kafka.connect.data.Schema, org.apache.kafka.connect.data.Schema> structViews =
            new IdentityHashMap<>();
    /** File schema to the positions of the sink's columns in it, for tombstone rows. */
    private final Map<Schema, SinkColumns.Positions> tombstoneColumns = new IdentityHashMap<>();

    /**
     * The first seen instance equal to {@code schema}. Converters usually hand out the same instance for the same
     * schema, but need not.
     */
    org.apache.kafka.connect.data.Schema canonical(org.apache.kafka.connect.data.Schema schema) {
        org.apache.kafka.connect.data.Schema canonical = canonicalByIdentity.get(schema);
        if (canonical != null) {
            return canonical;
        }
        canonical = canonicalByEquality.get(schema);
        if (canonical == null) {
            if (canonicalByEquality.size() >= MAX_CACHED_SCHEMAS) {
                canonicalByEquality.clear();
                canonicalByIdentity.clear();
                avroSchemas.clear();
                projections.clear();
                structViews.clear();
                tombstoneColumns.clear();
            }
            canonicalByEquality.put(schema, schema);
            canonical = schema;
        }
        if (canonicalByIdentity.size() >= MAX_CACHED_SCHEMAS) {
            canonicalByIdentity.clear();
        }
        canonicalByIdentity.put(schema, canonical);
        return canonical;
    }

    /** @param canonical a schema {@link #canonical} returned */
    Schema avroSchema(org.apache.kafka.connect.data.Schema canonical,
                      Function<org.apache.kafka.connect.data.Schema, Schema> translate) {
        return avroSchemas.computeIfAbsent(canonical, translate);
    }

    /** @param canonical a schema {@link #canonical} returned */
    org.apache.kafka.connect.data.Schema structView(org.apache.kafka.connect.data.Schema canonical,
            Function<org.apache.kafka.connect.data.Schema, org.apache.kafka.connect.data.Schema> view) {
        return structViews.computeIfAbsent(canonical, view);
    }

    /** @param canonical a schema {@link #canonical} returned */
    Projection projection(org.apache.kafka.connect.data.Schema canonical, Schema fileSchema,
                          Supplier<Projection> compile) {
        return projections.computeIfAbsent(fileSchema, s -> new IdentityHashMap<>())
                .computeIfAbsent(canonical, s -> compile.get());
    }

    SinkColumns.Positions tombstoneColumns(Schema fileSchema, Function<Schema, SinkColumns.Positions> locate) {
        return tombstoneColumns.computeIfAbsent(fileSchema, locate);
    }
}
