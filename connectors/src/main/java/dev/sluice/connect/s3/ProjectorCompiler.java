package dev.sluice.connect.s3;

import static dev.sluice.connect.s3.AvroSchemaTranslator.avroName;
import static dev.sluice.connect.s3.AvroSchemaTranslator.decimalPrecision;
import static dev.sluice.connect.s3.AvroSchemaTranslator.decimalScale;
import static dev.sluice.connect.s3.AvroSchemaTranslator.describe;
import static dev.sluice.connect.s3.AvroSchemaTranslator.hasStringKeys;
import static dev.sluice.connect.s3.AvroSchemaTranslator.isNullable;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;

/**
 * Compiles the conversion of one Connect value schema into a given Avro file schema ({@link RowProjector}). That is
 * how an older record lands in a file opened with a newer schema: fields the record lacks must be nullable in the
 * file and are written as null; ints widen to longs and floats to doubles. A record with fields the file lacks, or
 * with changed types, is incompatible and needs its own file. The relation is transitive, which the sink's
 * exactly-once argument relies on (see the docs).
 */
final class ProjectorCompiler {

    private final SinkColumns sinkColumns;

    ProjectorCompiler(SinkColumns sinkColumns) {
        this.sinkColumns = sinkColumns;
    }

    /**
     * How records of {@code valueSchema} go into files of {@code fileSchema}.
     *
     * @param struct {@code valueSchema}'s {@link AvroSchemaTranslator#structView}
     */
    Projection compile(org.apache.kafka.connect.data.Schema valueSchema, org.apache.kafka.connect.data.Schema struct,
                       Schema fileSchema) {
        try {
            RecordConverter converter = compileRecord(struct, fileSchema, "", true);
            boolean wrapped = struct != valueSchema;
            return new Projection.Compatible(new RowProjector(converter, wrapped ? struct : null,
                    sinkColumns.positionsIn(fileSchema)));
        } catch (IncompatibleSchemaException e) {
            return new Projection.Incompatible(e.getMessage());
        }
    }

    @FunctionalInterface
    interface ValueConverter {
        Object convert(Object value);
    }

    /** Converts structs of one Connect schema into records of one Avro schema. */
    static final class RecordConverter implements ValueConverter {
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
                return require(to, Schema.Type.BYTES, ProjectorCompiler::byteBuffer, source, target, path);
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

    private static Schema nonNullBranch(Schema union, String path) throws IncompatibleSchemaException {
        List<Schema> branches = union.getTypes().stream().filter(s -> s.getType() != Schema.Type.NULL).toList();
        if (branches.size() != 1) {
            throw new IncompatibleSchemaException(describe(path), "file uses a union with " + branches.size()
                    + " non-null branches");
        }
        return branches.get(0);
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

    static String typeName(Object value) {
        return value == null ? "null" : value.getClass().getName();
    }
}
