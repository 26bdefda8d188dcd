package dev.sluice.connect.jdbc;

import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;

/**
 * Turns rows of one result into Connect values: a struct with one field per column, and a key struct
 * holding the key columns (none when the source has no key).
 */
public final class RowConverter {

    private final List<ColumnMapping> columns;
    private final Schema valueSchema;
    private final Schema keySchema;
    private final List<String> keyFields;

    private RowConverter(List<ColumnMapping> columns, Schema valueSchema, Schema keySchema, List<String> keyFields) {
        this.columns = columns;
        this.valueSchema = valueSchema;
        this.keySchema = keySchema;
        this.keyFields = keyFields;
    }

    /**
     * @param schemaName name of the value schema (the key schema is named {@code <schemaName>.Key})
     * @param keyColumns columns forming the record key, in key order; empty for records without a key
     * @throws DataException if a key column is not in the result
     */
    public static RowConverter create(ResultSetMetaData md, TypeMapper mapper, String schemaName,
                                      List<String> keyColumns) throws SQLException {
        List<ColumnDescriptor> descriptors = new ArrayList<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
            descriptors.add(ColumnDescriptor.of(md, i));
        }
        return create(descriptors, mapper, schemaName, keyColumns);
    }

    static RowConverter create(List<ColumnDescriptor> descriptors, TypeMapper mapper, String schemaName,
                               List<String> keyColumns) {
        List<ColumnMapping> columns = descriptors.stream().map(mapper::map).toList();
        SchemaBuilder value = SchemaBuilder.struct().name(schemaName);
        for (ColumnMapping column : columns) {
            if (value.field(column.fieldName()) != null) {
                throw new DataException("the result has two columns named '" + column.fieldName()
                        + "'; give them distinct names (aliases in a custom query)");
            }
            value.field(column.fieldName(), column.schema());
        }
        Schema valueSchema = value.build();
        if (keyColumns.isEmpty()) {
            return new RowConverter(columns, valueSchema, null, List.of());
        }
        SchemaBuilder key = SchemaBuilder.struct().name(schemaName + ".Key");
        List<String> keyFields = new ArrayList<>();
        for (String keyColumn : keyColumns) {
            String field = columns.get(indexOf(descriptors, keyColumn)
                    .orElseThrow(() -> new DataException("key column '" + keyColumn + "' is not in the result")))
                    .fieldName();
            key.field(field, valueSchema.field(field).schema());
            keyFields.add(field);
        }
        return new RowConverter(columns, valueSchema, key.build(), List.copyOf(keyFields));
    }

    /**
     * The 0-based position of a column in a result: the exact label, else the one label equal to it ignoring
     * case (databases fold unquoted names to lower or upper case).
     */
    public static OptionalInt indexOf(List<ColumnDescriptor> descriptors, String column) {
        for (int i = 0; i < descriptors.size(); i++) {
            if (descriptors.get(i).name().equals(column)) {
                return OptionalInt.of(i);
            }
        }
        int found = -1;
        for (int i = 0; i < descriptors.size(); i++) {
            if (descriptors.get(i).name().toLowerCase(Locale.ROOT).equals(column.toLowerCase(Locale.ROOT))) {
                if (found >= 0) {
                    return OptionalInt.empty();
                }
                found = i;
            }
        }
        return found < 0 ? OptionalInt.empty() : OptionalInt.of(found);
    }

    /** A valid Connect (and Avro) schema name for a table or topic name. */
    public static String schemaName(String name) {
        String cleaned = name.replaceAll("[^A-Za-z0-9_]", "_");
        return cleaned.isEmpty() || Character.isDigit(cleaned.charAt(0)) ? "_" + cleaned : cleaned;
    }

    public Schema valueSchema() {
        return valueSchema;
    }

    /** The key schema, or {@code null} when records have no key. */
    public Schema keySchema() {
        return keySchema;
    }

    /** Converts the current row. */
    public Struct value(ResultSet rs) throws SQLException {
        Struct struct = new Struct(valueSchema);
        for (int i = 0; i < columns.size(); i++) {
            ColumnMapping column = columns.get(i);
            Object v = column.read(rs, i + 1);
            if (v == null && !column.schema().isOptional()) {
                throw new DataException("column '" + column.fieldName()
                        + "' is declared NOT NULL but the driver returned NULL");
            }
            struct.put(column.fieldName(), v);
        }
        return struct;
    }

    /**
     * The current row as the database's text of each column, by field name: what a row that cannot be converted
     * is dead-lettered as.
     */
    public Map<String, String> text(ResultSet rs) throws SQLException {
        Map<String, String> row = new LinkedHashMap<>();
        for (int i = 0; i < columns.size(); i++) {
            row.put(columns.get(i).fieldName(), rs.getString(i + 1));
        }
        return row;
    }

    /** The key columns of a row given as {@link #text}, or {@code null} when records have no key. */
    public Map<String, String> keyText(Map<String, String> row) {
        if (keySchema == null) {
            return null;
        }
        Map<String, String> key = new LinkedHashMap<>();
        keyFields.forEach(field -> key.put(field, row.get(field)));
        return key;
    }

    /** The key of a converted row, or {@code null} when records have no key. */
    public Struct key(Struct value) {
        if (keySchema == null) {
            return null;
        }
        Struct key = new Struct(keySchema);
        for (String field : keyFields) {
            key.put(field, value.get(field));
        }
        return key;
    }
}
