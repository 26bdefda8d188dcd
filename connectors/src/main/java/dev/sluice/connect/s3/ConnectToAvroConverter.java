package dev.sluice.connect.s3;

import dev.sluice.lake.KafkaColumns;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.JsonProperties;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.data.Values;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.header.Headers;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * Converts Connect values into Avro records for parquet-avro.
 *
 * <p>{@link #avroSchema} maps a Connect value schema to the Avro schema of a new file: structs become
 * records, optional schemas {@code ["null", T]} unions, Decimal/Date/Time/Timestamp the matching Avro
 * logical types, maps with string keys Avro maps and other maps arrays of key/value records. A value
 * that is not a struct becomes a record with one field {@code value}. With metadata columns on, every
 * row also gets {@code __kafka_partition}, {@code __kafka_offset} and {@code __kafka_timestamp}, and the lineage
 * columns {@code __lineage_source}, {@code __lineage_ingested_at}, {@code __lineage_pipeline_version} from the
 * record's {@code sluice.lineage.*} headers (null when it has none). With delete markers on
 * ({@code behavior.on.null.values=delete}) every row also gets {@code __kafka_key} and {@code __deleted}, and the
 * top-level value columns are nullable: {@link #tombstoneRow} writes a tombstone into any file of the topic as a row
 * with null value columns, so a tombstone never rolls a file.
 *
 * <p>{@link #projector} compiles the conversion of one Connect schema into a given Avro file schema.
 * That is how an older record lands in a file opened with a newer schema: fields the record lacks
 * must be nullable in the file and are written as null; ints widen to longs and floats to doubles.
 * A record with fields the file lacks, or with changed types, is incompatible and needs its own file.
 * The relation is transitive, which the sink's exactly-once argument relies on (see the docs).
 *
 * <p>Not thread-safe; one per task.
 */
final class ConnectToAvroConverter {

    static final String WRAPPED_VALUE_FIELD = "value";
    /** Decimal precision assumed when the Connect schema does not say (Parquet's usual maximum). */
    static final int DEFAULT_DECIMAL_PRECISION = 38;

    private static final String CONNECT_DECIMAL_PRECISION = "connect.decimal.precision";
    private static final int MAX_CACHED_SCHEMAS = 1000;
    private static final Set<String> METADATA_COLUMNS = Set.of(KafkaColumns.PARTITION, KafkaColumns.OFFSET,
            KafkaColumns.TIMESTAMP, KafkaColumns.LINEAGE_SOURCE, KafkaColumns.LINEAGE_INGESTED_AT,
            KafkaColumns.LINEAGE_PIPELINE_VERSION);
    private static final Set<String> MARKER_COLUMNS = Set.of(KafkaColumns.KEY, KafkaColumns.DELETED);
    private static final String DEFAULT_RECORD_NAME = "Value";
    private static final Object INCOMPATIBLE = new Object();

    private final boolean metadataColumns;
    private final boolean deleteMarkers;
    /** The top-level columns the sink adds to the value's: metadata and lineage, delete markers, as configured. */
    private final Set<String> sinkColumns;
    /** Fast path: schema instances seen before, to their canonical (first seen equal) instance. */
    private final Map<org.apache.kafka.connect.data.Schema, org.apache.kafka.connect.data.Schema> canonicalByIdentity =
            new IdentityHashMap<>();
    private final Map<org.apache.kafka.connect.data.Schema, org.apache.kafka.connect.data.Schema> canonicalByEquality =
            new HashMap<>();
    /** Keyed by canonical instances. */
    private final Map<org.apache.kafka.connect.data.Schema, Schema> avroSchemas = new IdentityHashMap<>();
    /** File schema to (canonical value schema to projector, or INCOMPATIBLE). */
    private final Map<Schema, Map<org.apache.kafka.connect.data.Schema, Object>> projectors = new IdentityHashMap<>();
    private final Map<org.apache.kafka.connect.data.Schema, org.apache.kafka.connect.data.Schema> wrappers =
            new IdentityHashMap<>();
    /** File schema to the positions of the sink's columns in it, for tombstone rows. */
    private final Map<Schema, SinkColumns> tombstoneColumns = new IdentityHashMap<>();
    /** Full record name to the schema of files opened by a tombstone. */
    private final Map<String, Schema> markerSchemas = new HashMap<>();

    /**
     * @param metadataColumns whether rows get the Kafka metadata and lineage columns
     * @param deleteMarkers   whether rows get {@code __kafka_key} and {@code __deleted} and value columns are nullable,
     *                        so that tombstones can be written ({@code behavior.on.null.values=delete})
     */
    ConnectToAvroConverter(boolean metadataColumns, boolean deleteMarkers) {
        this.metadataColumns = metadataColumns;
        this.deleteMarkers = deleteMarkers;
        Set<String> columns = new HashSet<>();
        if (metadataColumns) {
            columns.addAll(METADATA_COLUMNS);
        }
        if (deleteMarkers) {
            columns.addAll(MARKER_COLUMNS);
        }
        this.sinkColumns = Set.copyOf(columns);
    }

    /**
     * The Avro schema for a file started by a record with this Connect value schema; the same
     * instance for equal Connect schemas.
     *
     * @throws DataException if the schema has no Avro/Parquet form (e.g. a struct without fields)
     */
    Schema avroSchema(org.apache.kafka.connect.data.Schema valueSchema) {
        org.apache.kafka.connect.data.Schema canonical = canonical(valueSchema);
        Schema cached = avroSchemas.get(canonical);
        if (cached == null) {
            cached = new SchemaBuilderState().topLevel(structView(canonical));
            avroSchemas.put(canonical, cached);
        }
        return cached;
    }

    /**
     * The first seen instance equal to {@code schema}. Converters usually hand out the same instance
     * for the same schema, but need not; caches below are keyed by canonical instances so that they
     * grow with distinct schemas, not with records.
     */
    private org.apache.kafka.connect.data.Schema canonical(org.apache.kafka.connect.data.Schema schema) {
        org.apache.kafka.connect.data.Schema canonical = canonicalByIdentity.get(schema);
        if (canonical != null) {
            return canonical;
        }
        canonical = canonicalByEquality.get(schema);
        if (canonical == null) {
            if (canonicalByEquality.size() >= MAX_CACHED_SCHEMAS) {
                // Open files keep their Avro schemas; projectors for them are simply compiled again.
                canonicalByEquality.clear();
                canonicalByIdentity.clear();
                avroSchemas.clear();
                projectors.clear();
                wrappers.clear();
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

    /**
     * The projector writing records of {@code valueSchema} into files of {@code fileSchema}, or null
     * if they are incompatible.
     */
    RowProjector projector(org.apache.kafka.connect.data.Schema valueSchema, Schema fileSchema) {
        org.apache.kafka.connect.data.Schema canonical = canonical(valueSchema);
        Map<org.apache.kafka.connect.data.Schema, Object> byValueSchema =
                projectors.computeIfAbsent(fileSchema, s -> new IdentityHashMap<>());
        Object projector = byValueSchema.get(canonical);
        if (projector == null) {
            try {
                projector = compileRow(canonical, fileSchema);
            } catch (IncompatibleSchemaException e) {
                projector = INCOMPATIBLE;
            }
            byValueSchema.put(canonical, projector);
        }
        return projector == INCOMPATIBLE ? null : (RowProjector) projector;
    }

    /** Why {@code valueSchema} cannot be written to {@code fileSchema}, for logs; null if it can. */
    String incompatibility(org.apache.kafka.connect.data.Schema valueSchema, Schema fileSchema) {
        try {
            compileRow(valueSchema, fileSchema);
            return null;
        } catch (IncompatibleSchemaException e) {
            return e.getMessage();
        }
    }

    private RowProjector compileRow(org.apache.kafka.connect.data.Schema valueSchema, Schema fileSchema)
            throws IncompatibleSchemaException {
        org.apache.kafka.connect.data.Schema struct = structView(valueSchema);
        RecordConverter converter = compileRecord(struct, fileSchema, "", true);
        boolean wrapped = struct != valueSchema;
        return new RowProjector(converter, wrapped ? struct : null, sinkColumns(fileSchema));
    }

    /** Where the sink's own columns are in {@code fileSchema}. */
    private SinkColumns sinkColumns(Schema fileSchema) throws IncompatibleSchemaException {
        int[] metadata = null;
        if (metadataColumns) {
            Schema.Field partition = fileSchema.getField(KafkaColumns.PARTITION);
            Schema.Field offset = fileSchema.getField(KafkaColumns.OFFSET);
            Schema.Field timestamp = fileSchema.getField(KafkaColumns.TIMESTAMP);
            if (partition == null || offset == null || timestamp == null) {
                throw new IncompatibleSchemaException("", "file has no Kafka metadata columns");
            }
            Schema.Field source = fileSchema.getField(KafkaColumns.LINEAGE_SOURCE);
            Schema.Field ingestedAt = fileSchema.getField(KafkaColumns.LINEAGE_INGESTED_AT);
            Schema.Field version = fileSchema.getField(KafkaColumns.LINEAGE_PIPELINE_VERSION);
            if (source == null || ingestedAt == null || version == null) {
                throw new IncompatibleSchemaException("", "file has no lineage columns");
            }
            metadata = new int[] {partition.pos(), offset.pos(), timestamp.pos(), source.pos(), ingestedAt.pos(),
                    version.pos()};
        }
        int[] markers = null;
        if (deleteMarkers) {
            Schema.Field key = fileSchema.getField(KafkaColumns.KEY);
            Schema.Field deleted = fileSchema.getField(KafkaColumns.DELETED);
            if (key == null || deleted == null) {
                throw new IncompatibleSchemaException("", "file has no delete-marker columns");
            }
            markers = new int[] {key.pos(), deleted.pos()};
        }
        return new SinkColumns(metadata, markers);
    }

    /**
     * The schema of a file that a tombstone opens (no file of its path is open): only the sink's columns, under the
     * record name of {@code like} (the last file schema of the topic partition, null if none), so that compaction
     * merges it with the topic's data files of that hour. A data record later in the same path rolls it, since its
     * value columns are not in it; which columns a file has must not depend on records before the file, or a replay
     * could roll at other points than the crashed run (see the docs).
     */
    Schema markerSchema(Schema like) {
        String fullName = like == null ? DEFAULT_RECORD_NAME : like.getFullName();
        return markerSchemas.computeIfAbsent(fullName, n -> Schema.createRecord(
                like == null ? DEFAULT_RECORD_NAME : like.getName(), null, like == null ? null : like.getNamespace(),
                false, sinkColumnFields()));
    }

    /**
     * The row of a tombstone in a file of {@code fileSchema} (a schema of this converter with delete markers):
     * {@code __deleted=true}, its key, the metadata and lineage columns, and null in every value column.
     */
    GenericData.Record tombstoneRow(SinkRecord record, Schema fileSchema) {
        SinkColumns columns = tombstoneColumns.get(fileSchema);
        if (columns == null) {
            try {
                columns = sinkColumns(fileSchema);
            } catch (IncompatibleSchemaException e) {
                throw new DataException("Cannot write a tombstone into a file without the sink's columns: "
                        + e.getMessage());
            }
            tombstoneColumns.put(fileSchema, columns);
        }
        GenericData.Record row = new GenericData.Record(fileSchema);
        columns.fill(row, record, true);
        return row;
    }

    /** The sink's own columns, in the order they follow the value's; new instances: an Avro field has one schema. */
    private List<Schema.Field> sinkColumnFields() {
        List<Schema.Field> fields = new ArrayList<>();
        if (metadataColumns) {
            fields.add(new Schema.Field(KafkaColumns.PARTITION, Schema.create(Schema.Type.INT)));
            fields.add(new Schema.Field(KafkaColumns.OFFSET, Schema.create(Schema.Type.LONG)));
            fields.add(new Schema.Field(KafkaColumns.TIMESTAMP,
                    nullable(LogicalTypes.timestampMillis().addToSchema(Schema.create(Schema.Type.LONG))),
                    null, JsonProperties.NULL_VALUE));
            fields.add(new Schema.Field(KafkaColumns.LINEAGE_SOURCE, nullable(Schema.create(Schema.Type.STRING)),
                    null, JsonProperties.NULL_VALUE));
            fields.add(new Schema.Field(KafkaColumns.LINEAGE_INGESTED_AT,
                    nullable(LogicalTypes.timestampMillis().addToSchema(Schema.create(Schema.Type.LONG))),
                    null, JsonProperties.NULL_VALUE));
            fields.add(new Schema.Field(KafkaColumns.LINEAGE_PIPELINE_VERSION,
                    nullable(Schema.create(Schema.Type.STRING)), null, JsonProperties.NULL_VALUE));
        }
        if (deleteMarkers) {
            fields.add(new Schema.Field(KafkaColumns.KEY, nullable(Schema.create(Schema.Type.STRING)), null,
                    JsonProperties.NULL_VALUE));
            fields.add(new Schema.Field(KafkaColumns.DELETED, Schema.create(Schema.Type.BOOLEAN)));
        }
        return fields;
    }

    /** The schema itself if it is a struct, else the one-field struct that wraps it. */
    private org.apache.kafka.connect.data.Schema structView(org.apache.kafka.connect.data.Schema valueSchema) {
        if (valueSchema.type() == org.apache.kafka.connect.data.Schema.Type.STRUCT) {
            return valueSchema;
        }
        return wrappers.computeIfAbsent(valueSchema, s -> SchemaBuilder.struct().name("Value")
                .field(WRAPPED_VALUE_FIELD, s).build());
    }

    /** Writes one sink record as a row of a file schema; compiled once per (value schema, file schema). */
    static final class RowProjector {
        private final RecordConverter converter;
        private final org.apache.kafka.connect.data.Schema wrapper;
        private final SinkColumns columns;

        private RowProjector(RecordConverter converter, org.apache.kafka.connect.data.Schema wrapper,
                             SinkColumns columns) {
            this.converter = converter;
            this.wrapper = wrapper;
            this.columns = columns;
        }

        /** @throws DataException if a value does not fit (e.g. a decimal too precise) */
        GenericData.Record project(SinkRecord record) {
            Object value = record.value();
            Struct struct;
            if (wrapper != null) {
                struct = new Struct(wrapper).put(WRAPPED_VALUE_FIELD, value);
            } else if (value instanceof Struct s) {
                struct = s;
            } else {
                throw new DataException("Expected a Struct value but got " + typeName(value));
            }
            GenericData.Record row = converter.convert(struct);
            columns.fill(row, record, false);
            return row;
        }
    }

    /**
     * Positions of the sink's own columns in one file schema.
     *
     * @param metadata partition, offset, timestamp, lineage source, ingested-at, pipeline version; null without
     *                 metadata columns
     * @param markers  key, deleted; null without delete markers
     */
    private record SinkColumns(int[] metadata, int[] markers) {

        void fill(GenericData.Record row, SinkRecord record, boolean deleted) {
            if (metadata != null) {
                Headers headers = record.headers();
                row.put(metadata[0], record.kafkaPartition());
                row.put(metadata[1], record.kafkaOffset());
                row.put(metadata[2], record.timestamp());
                row.put(metadata[3], headerText(headers.lastWithName(KafkaColumns.SOURCE_HEADER)));
                row.put(metadata[4], headerMillis(headers.lastWithName(KafkaColumns.INGESTED_AT_HEADER)));
                row.put(metadata[5], headerText(headers.lastWithName(KafkaColumns.PIPELINE_VERSION_HEADER)));
            }
            if (markers != null) {
                row.put(markers[0], keyText(record));
                row.put(markers[1], deleted);
            }
        }
    }

    /**
     * The record key as text: keys reach the sink as bytes (ByteArrayConverter), decoded as UTF-8; a string as it is;
     * another converter's key in Connect's string form; null for a null key.
     */
    static String keyText(SinkRecord record) {
        Object key = record.key();
        if (key == null) {
            return null;
        }
        if (key instanceof byte[] bytes) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
        if (key instanceof ByteBuffer buffer) {
            return StandardCharsets.UTF_8.decode(buffer.duplicate()).toString();
        }
        if (key instanceof String text) {
            return text;
        }
        return Values.convertToString(record.keySchema(), key);
    }

    /** {@code header} as text: bytes as UTF-8, anything a header converter parsed as its string; null if absent. */
    private static String headerText(Header header) {
        if (header == null || header.value() == null) {
            return null;
        }
        return header.value() instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8)
                : Values.convertToString(header.schema(), header.value());
    }

    /**
     * {@code header} as epoch milliseconds: streams-app writes an ISO-8601 instant, which the worker's default header
     * converter hands over as a timestamp when it has milliseconds and as text when it has none. Null when absent or
     * not an instant.
     */
    private static Long headerMillis(Header header) {
        if (header != null && header.value() instanceof java.util.Date date) {
            return date.getTime();
        }
        String text = headerText(header);
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text).toEpochMilli();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    // ---------------------------------------------------------------- schema: Connect -> Avro

    /** Builds one Avro schema; record names are derived from field paths and kept unique. */
    private final class SchemaBuilderState {
        private final Set<String> recordNames = new HashSet<>();

        Schema topLevel(org.apache.kafka.connect.data.Schema struct) {
            String name = DEFAULT_RECORD_NAME;
            String namespace = null;
            if (struct.name() != null && !struct.name().isBlank()) {
                String[] parts = struct.name().split("\\.");
                name = avroName(parts[parts.length - 1]);
                List<String> ns = new ArrayList<>();
                for (int i = 0; i < parts.length - 1; i++) {
                    ns.add(avroName(parts[i]));
                }
                namespace = ns.isEmpty() ? null : String.join(".", ns);
            }
            recordNames.add(name);
            List<Schema.Field> fields = new ArrayList<>();
            for (Schema.Field field : recordFields(struct, name, "")) {
                if (METADATA_COLUMNS.contains(field.name()) && metadataColumns) {
                    throw new DataException("Value field '" + field.name() + "' clashes with a Kafka metadata "
                            + "column; disable " + S3ParquetSinkConfig.KAFKA_METADATA_COLUMNS + " or rename it");
                }
                if (MARKER_COLUMNS.contains(field.name()) && deleteMarkers) {
                    throw new DataException("Value field '" + field.name() + "' clashes with a delete-marker column "
                            + "of " + S3ParquetSinkConfig.BEHAVIOR_ON_NULL_VALUES + "=delete; use fail or ignore, or "
                            + "rename it");
                }
                // A tombstone's row has null in every value column, and must fit the file of its path.
                fields.add(deleteMarkers ? nullableField(field) : field);
            }
            fields.addAll(sinkColumnFields());
            return Schema.createRecord(name, null, namespace, false, fields);
        }

        private List<Schema.Field> recordFields(org.apache.kafka.connect.data.Schema struct, String recordName,
                                                String path) {
            if (struct.fields().isEmpty()) {
                throw new DataException("Struct " + describe(path) + " has no fields; Parquet cannot store it");
            }
            List<Schema.Field> fields = new ArrayList<>();
            Map<String, String> seen = new HashMap<>();
            for (Field field : struct.fields()) {
                String name = avroName(field.name());
                String clash = seen.put(name, field.name());
                if (clash != null) {
                    throw new DataException("Fields '" + clash + "' and '" + field.name() + "' of " + describe(path)
                            + " both map to column name '" + name + "'");
                }
                Schema schema = schemaOf(field.schema(), recordName + "_" + name, path + "." + field.name());
                fields.add(field.schema().isOptional()
                        ? new Schema.Field(name, schema, null, JsonProperties.NULL_VALUE)
                        : new Schema.Field(name, schema));
            }
            return fields;
        }

        private Schema schemaOf(org.apache.kafka.connect.data.Schema schema, String nameHint, String path) {
            Schema base = baseSchemaOf(schema, nameHint, path);
            return schema.isOptional() ? nullable(base) : base;
        }

        private Schema baseSchemaOf(org.apache.kafka.connect.data.Schema schema, String nameHint, String path) {
            String logical = schema.name();
            if (Decimal.LOGICAL_NAME.equals(logical)) {
                return LogicalTypes.decimal(decimalPrecision(schema), decimalScale(schema))
                        .addToSchema(Schema.create(Schema.Type.BYTES));
            }
            if (Date.LOGICAL_NAME.equals(logical)) {
                return LogicalTypes.date().addToSchema(Schema.create(Schema.Type.INT));
            }
            if (Time.LOGICAL_NAME.equals(logical)) {
                return LogicalTypes.timeMillis().addToSchema(Schema.create(Schema.Type.INT));
            }
            if (Timestamp.LOGICAL_NAME.equals(logical)) {
                return LogicalTypes.timestampMillis().addToSchema(Schema.create(Schema.Type.LONG));
            }
            return switch (schema.type()) {
                case INT8, INT16, INT32 -> Schema.create(Schema.Type.INT);
                case INT64 -> Schema.create(Schema.Type.LONG);
                case FLOAT32 -> Schema.create(Schema.Type.FLOAT);
                case FLOAT64 -> Schema.create(Schema.Type.DOUBLE);
                case BOOLEAN -> Schema.create(Schema.Type.BOOLEAN);
                case STRING -> Schema.create(Schema.Type.STRING);
                case BYTES -> Schema.create(Schema.Type.BYTES);
                case ARRAY -> Schema.createArray(schemaOf(schema.valueSchema(), nameHint + "_element", path + "[]"));
                case MAP -> mapSchemaOf(schema, nameHint, path);
                case STRUCT -> {
                    String name = uniqueName(nameHint);
                    yield Schema.createRecord(name, null, null, false, recordFields(schema, name, path));
                }
            };
        }

        private Schema mapSchemaOf(org.apache.kafka.connect.data.Schema schema, String nameHint, String path) {
            if (hasStringKeys(schema)) {
                return Schema.createMap(schemaOf(schema.valueSchema(), nameHint + "_value", path + "{}"));
            }
            String name = uniqueName(nameHint + "_entry");
            List<Schema.Field> fields = new ArrayList<>();
            fields.add(new Schema.Field("key", schemaOf(schema.keySchema(), name + "_key", path + "{key}")));
            Schema value = schemaOf(schema.valueSchema(), name + "_value", path + "{}");
            fields.add(schema.valueSchema().isOptional()
                    ? new Schema.Field("value", value, null, JsonProperties.NULL_VALUE)
                    : new Schema.Field("value", value));
            return Schema.createArray(Schema.createRecord(name, null, null, false, fields));
        }

        private String uniqueName(String hint) {
            String name = hint;
            for (int i = 2; !recordNames.add(name); i++) {
                name = hint + "_" + i;
            }
            return name;
        }
    }

    // ---------------------------------------------------------------- values: Connect -> Avro, compiled

    @FunctionalInterface
    private interface ValueConverter {
        Object convert(Object value);
    }

    /** Converts structs of one Connect schema into records of one Avro schema. */
    private static final class RecordConverter implements ValueConverter {
        private final Schema schema;
        private final Field[] sourceFields;
        private final int[] targetPositions;
        private final ValueConverter[] converters;

        RecordConverter(Schema schema, Field[] sourceFields, int[] targetPositions, ValueConverter[] converters) {
            this.schema = schema;
            this.sourceFields = sourceFields;
            this.targetPositions = targetPositions;
            this.converters = converters;
        }

        @Override
        public GenericData.Record convert(Object value) {
            if (!(value instanceof Struct struct)) {
                throw new DataException("Expected a Struct but got " + typeName(value));
            }
            GenericData.Record record = new GenericData.Record(schema);
            for (int i = 0; i < sourceFields.length; i++) {
                record.put(targetPositions[i], converters[i].convert(struct.get(sourceFields[i])));
            }
            return record;
        }
    }

    private RecordConverter compileRecord(org.apache.kafka.connect.data.Schema source, Schema target, String path,
                                          boolean skipSinkColumns) throws IncompatibleSchemaException {
        if (target.getType() != Schema.Type.RECORD) {
            throw new IncompatibleSchemaException(describe(path), "struct cannot be written as " + target.getType());
        }
        Map<String, Field> sourceByColumn = new LinkedHashMap<>();
        for (Field field : source.fields()) {
            sourceByColumn.put(avroName(field.name()), field);
        }
        List<Field> fields = new ArrayList<>();
        List<Integer> positions = new ArrayList<>();
        List<ValueConverter> converters = new ArrayList<>();
        for (Schema.Field column : target.getFields()) {
            if (skipSinkColumns && sinkColumns.contains(column.name())) {
                continue;
            }
            Field field = sourceByColumn.remove(column.name());
            String fieldPath = path + "." + column.name();
            if (field == null) {
                if (!isNullable(column.schema())) {
                    throw new IncompatibleSchemaException(describe(fieldPath), "required in the file but missing");
                }
                continue;
            }
            fields.add(field);
            positions.add(column.pos());
            converters.add(compile(field.schema(), column.schema(), fieldPath));
        }
        if (!sourceByColumn.isEmpty()) {
            throw new IncompatibleSchemaException(describe(path), "fields " + sourceByColumn.keySet()
                    + " are not in the file");
        }
        return new RecordConverter(target, fields.toArray(Field[]::new),
                positions.stream().mapToInt(Integer::intValue).toArray(), converters.toArray(ValueConverter[]::new));
    }

    private ValueConverter compile(org.apache.kafka.connect.data.Schema source, Schema target, String path)
            throws IncompatibleSchemaException {
        boolean targetNullable = isNullable(target);
        if (source.isOptional() && !targetNullable) {
            throw new IncompatibleSchemaException(describe(path), "optional, but required in the file");
        }
        Schema base = targetNullable ? nonNullBranch(target, path) : target;
        ValueConverter converter = compileBase(source, base, path);
        if (targetNullable) {
            return value -> value == null ? null : converter.convert(value);
        }
        return value -> {
            if (value == null) {
                throw new DataException("Null value for required field " + describe(path));
            }
            return converter.convert(value);
        };
    }

    private ValueConverter compileBase(org.apache.kafka.connect.data.Schema source, Schema target, String path)
            throws IncompatibleSchemaException {
        String logical = source.name();
        LogicalType targetLogical = target.getLogicalType();
        if (Decimal.LOGICAL_NAME.equals(logical)) {
            if (!(targetLogical instanceof LogicalTypes.Decimal decimal) || target.getType() != Schema.Type.BYTES) {
                throw incompatible(path, source, target);
            }
            int scale = decimalScale(source);
            if (decimal.getScale() != scale || decimal.getPrecision() < decimalPrecision(source)) {
                throw new IncompatibleSchemaException(describe(path), "decimal(" + decimalPrecision(source) + ","
                        + scale + ") does not fit decimal(" + decimal.getPrecision() + "," + decimal.getScale() + ")");
            }
            int precision = decimal.getPrecision();
            return value -> decimalBytes((BigDecimal) value, precision, scale, path);
        }
        if (Date.LOGICAL_NAME.equals(logical)) {
            requireLogical(target, Schema.Type.INT, LogicalTypes.date(), source, path);
            return value -> (int) Math.floorDiv(((java.util.Date) value).getTime(), 86_400_000L);
        }
        if (Time.LOGICAL_NAME.equals(logical)) {
            requireLogical(target, Schema.Type.INT, LogicalTypes.timeMillis(), source, path);
            return value -> (int) Math.floorMod(((java.util.Date) value).getTime(), 86_400_000L);
        }
        if (Timestamp.LOGICAL_NAME.equals(logical)) {
            requireLogical(target, Schema.Type.LONG, LogicalTypes.timestampMillis(), source, path);
            return value -> ((java.util.Date) value).getTime();
        }
        if (targetLogical != null) {
            throw incompatible(path, source, target);
        }
        Schema.Type to = target.getType();
        switch (source.type()) {
            case INT8, INT16, INT32:
                if (to == Schema.Type.INT) {
                    return value -> ((Number) value).intValue();
                }
                if (to == Schema.Type.LONG) {
                    return value -> ((Number) value).longValue();
                }
                throw incompatible(path, source, target);
            case INT64:
                return require(to, Schema.Type.LONG, value -> value, source, target, path);
            case FLOAT32:
                if (to == Schema.Type.FLOAT) {
                    return value -> value;
                }
                if (to == Schema.Type.DOUBLE) {
                    return value -> ((Float) value).doubleValue();
                }
                throw incompatible(path, source, target);
            case FLOAT64:
                return require(to, Schema.Type.DOUBLE, value -> value, source, target, path);
            case BOOLEAN:
                return require(to, Schema.Type.BOOLEAN, value -> value, source, target, path);
            case STRING:
                return require(to, Schema.Type.STRING, value -> value, source, target, path);
            case BYTES:
                return require(to, Schema.Type.BYTES, ConnectToAvroConverter::byteBuffer, source, target, path);
            case ARRAY: {
                if (to != Schema.Type.ARRAY) {
                    throw incompatible(path, source, target);
                }
                ValueConverter element = compile(source.valueSchema(), target.getElementType(), path + "[]");
                return value -> {
                    List<?> list = (List<?>) value;
                    List<Object> out = new ArrayList<>(list.size());
                    for (Object item : list) {
                        out.add(element.convert(item));
                    }
                    return out;
                };
            }
            case MAP:
                return compileMap(source, target, path);
            case STRUCT:
                return compileRecord(source, target, path, false);
            default:
                throw incompatible(path, source, target);
        }
    }

    private ValueConverter compileMap(org.apache.kafka.connect.data.Schema source, Schema target, String path)
            throws IncompatibleSchemaException {
        if (hasStringKeys(source)) {
            if (target.getType() != Schema.Type.MAP) {
                throw incompatible(path, source, target);
            }
            ValueConverter valueConverter = compile(source.valueSchema(), target.getValueType(), path + "{}");
            return value -> {
                Map<?, ?> map = (Map<?, ?>) value;
                Map<String, Object> out = new LinkedHashMap<>(Math.max(4, map.size() * 2));
                for (Map.Entry<?, ?> entry : map.entrySet()) {
                    if (entry.getKey() == null) {
                        throw new DataException("Null map key in " + describe(path));
                    }
                    out.put(entry.getKey().toString(), valueConverter.convert(entry.getValue()));
                }
                return out;
            };
        }
        if (target.getType() != Schema.Type.ARRAY || target.getElementType().getType() != Schema.Type.RECORD) {
            throw incompatible(path, source, target);
        }
        Schema entry = target.getElementType();
        Schema.Field keyField = entry.getField("key");
        Schema.Field valueField = entry.getField("value");
        if (keyField == null || valueField == null || entry.getFields().size() != 2) {
            throw incompatible(path, source, target);
        }
        ValueConverter keyConverter = compile(source.keySchema(), keyField.schema(), path + "{key}");
        ValueConverter valueConverter = compile(source.valueSchema(), valueField.schema(), path + "{}");
        return value -> {
            Map<?, ?> map = (Map<?, ?>) value;
            List<GenericData.Record> out = new ArrayList<>(map.size());
            for (Map.Entry<?, ?> e : map.entrySet()) {
                GenericData.Record record = new GenericData.Record(entry);
                record.put(keyField.pos(), keyConverter.convert(e.getKey()));
                record.put(valueField.pos(), valueConverter.convert(e.getValue()));
                out.add(record);
            }
            return out;
        };
    }

    // ---------------------------------------------------------------- helpers

    private static ValueConverter require(Schema.Type actual, Schema.Type expected, ValueConverter converter,
                                          org.apache.kafka.connect.data.Schema source, Schema target, String path)
            throws IncompatibleSchemaException {
        if (actual != expected) {
            throw incompatible(path, source, target);
        }
        return converter;
    }

    private static void requireLogical(Schema target, Schema.Type type, LogicalType logicalType,
                                       org.apache.kafka.connect.data.Schema source, String path)
            throws IncompatibleSchemaException {
        if (target.getType() != type || target.getLogicalType() == null
                || !logicalType.getName().equals(target.getLogicalType().getName())) {
            throw incompatible(path, source, target);
        }
    }

    private static IncompatibleSchemaException incompatible(String path, org.apache.kafka.connect.data.Schema source,
                                                            Schema target) {
        String from = source.name() != null ? source.name() : source.type().toString();
        String to = target.getLogicalType() != null ? target.getLogicalType().getName() : target.getType().toString();
        return new IncompatibleSchemaException(describe(path), from + " cannot be written as " + to);
    }

    private static boolean hasStringKeys(org.apache.kafka.connect.data.Schema mapSchema) {
        return mapSchema.keySchema().type() == org.apache.kafka.connect.data.Schema.Type.STRING
                && mapSchema.keySchema().name() == null;
    }

    private static boolean isNullable(Schema schema) {
        return schema.getType() == Schema.Type.UNION
                && schema.getTypes().stream().anyMatch(s -> s.getType() == Schema.Type.NULL);
    }

    private static Schema nonNullBranch(Schema union, String path) throws IncompatibleSchemaException {
        List<Schema> branches = union.getTypes().stream().filter(s -> s.getType() != Schema.Type.NULL).toList();
        if (branches.size() != 1) {
            throw new IncompatibleSchemaException(describe(path), "file uses a union with " + branches.size()
                    + " non-null branches");
        }
        return branches.get(0);
    }

    private static Schema nullable(Schema schema) {
        return Schema.createUnion(Schema.create(Schema.Type.NULL), schema);
    }

    /** {@code field}, or a copy of it that is nullable with default null. */
    private static Schema.Field nullableField(Schema.Field field) {
        if (isNullable(field.schema())) {
            return field;
        }
        return new Schema.Field(field.name(), nullable(field.schema()), field.doc(), JsonProperties.NULL_VALUE);
    }

    private static int decimalScale(org.apache.kafka.connect.data.Schema schema) {
        String scale = schema.parameters() == null ? null : schema.parameters().get(Decimal.SCALE_FIELD);
        if (scale == null) {
            throw new DataException("Decimal schema without a '" + Decimal.SCALE_FIELD + "' parameter");
        }
        return Integer.parseInt(scale);
    }

    private static int decimalPrecision(org.apache.kafka.connect.data.Schema schema) {
        String precision = schema.parameters() == null ? null : schema.parameters().get(CONNECT_DECIMAL_PRECISION);
        return precision == null ? DEFAULT_DECIMAL_PRECISION : Integer.parseInt(precision);
    }

    private static ByteBuffer decimalBytes(BigDecimal value, int precision, int scale, String path) {
        BigDecimal scaled;
        try {
            scaled = value.scale() == scale ? value : value.setScale(scale, RoundingMode.UNNECESSARY);
        } catch (ArithmeticException e) {
            throw new DataException("Decimal " + value + " in " + describe(path) + " does not have scale " + scale);
        }
        if (scaled.precision() > precision) {
            throw new DataException("Decimal " + value + " in " + describe(path) + " exceeds precision " + precision);
        }
        return ByteBuffer.wrap(scaled.unscaledValue().toByteArray());
    }

    private static Object byteBuffer(Object value) {
        if (value instanceof byte[] bytes) {
            return ByteBuffer.wrap(bytes);
        }
        if (value instanceof ByteBuffer buffer) {
            return buffer.duplicate();
        }
        throw new DataException("Expected bytes but got " + typeName(value));
    }

    /** A valid Avro name: letters, digits and underscores, not starting with a digit. */
    static String avroName(String name) {
        StringBuilder out = new StringBuilder(name.length() + 1);
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (c >= '0' && c <= '9');
            out.append(ok ? c : '_');
        }
        if (out.isEmpty() || Character.isDigit(out.charAt(0))) {
            out.insert(0, '_');
        }
        return out.toString();
    }

    private static String describe(String path) {
        return path.isEmpty() ? "the value" : "field '" + path.substring(1) + "'";
    }

    private static String typeName(Object value) {
        return value == null ? "null" : value.getClass().getName();
    }
}
