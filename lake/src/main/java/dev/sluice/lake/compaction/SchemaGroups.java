package dev.sluice.lake.compaction;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.apache.avro.JsonProperties;
import org.apache.avro.Schema;

/**
 * Splits inputs into groups that can share one output schema. Every output file has one schema, like every sink
 * file. A file whose schema is another's minus some nullable fields (a backward-compatible evolution, as the sink
 * writes them) joins the wider schema's group and is read with null in the added fields; any other difference keeps
 * the files apart.
 */
final class SchemaGroups {

    /**
     * Inputs written with one schema.
     *
     * @param schema the schema of the group's output
     * @param inputs its inputs, in Kafka order
     */
    record SchemaGroup(Schema schema, List<PlannedInput> inputs) {
    }

    private SchemaGroups() {
    }

    /** Groups {@code inputs} (in Kafka order); groups are in Kafka order of their first inputs. */
    static List<SchemaGroup> group(List<PlannedInput> inputs) {
        // Widest first, so that each schema finds the widest group it fits; ties in order of appearance.
        List<Schema> byWidth = new ArrayList<>(new LinkedHashSet<>(inputs.stream().map(PlannedInput::schema).toList()));
        byWidth.sort(Comparator.comparingInt((Schema s) -> -width(s)));
        Map<Schema, Schema> target = new HashMap<>();
        List<Schema> groupSchemas = new ArrayList<>();
        for (Schema schema : byWidth) {
            Schema into = groupSchemas.stream().filter(g -> widens(g, schema)).findFirst().orElse(null);
            if (into == null) {
                groupSchemas.add(schema);
                into = schema;
            }
            target.put(schema, into);
        }
        Map<Schema, List<PlannedInput>> members = new LinkedHashMap<>();
        for (PlannedInput input : inputs) {
            members.computeIfAbsent(target.get(input.schema()), s -> new ArrayList<>()).add(input);
        }
        List<SchemaGroup> groups = new ArrayList<>();
        members.forEach((schema, list) -> groups.add(new SchemaGroup(schema, List.copyOf(list))));
        return groups;
    }

    private static int width(Schema schema) {
        return schema.getType() == Schema.Type.RECORD ? schema.getFields().size() : 0;
    }

    /** Whether rows of {@code narrow} can be read as {@code wide} without losing anything. */
    static boolean widens(Schema wide, Schema narrow) {
        if (wide.equals(narrow)) {
            return true;
        }
        if (wide.getType() != Schema.Type.RECORD || narrow.getType() != Schema.Type.RECORD
                || !wide.getFullName().equals(narrow.getFullName())) {
            return false;
        }
        for (Schema.Field field : narrow.getFields()) {
            Schema.Field wider = wide.getField(field.name());
            if (wider == null || !wider.schema().equals(field.schema())) {
                return false;
            }
        }
        for (Schema.Field field : wide.getFields()) {
            if (narrow.getField(field.name()) == null && !nullableWithNullDefault(field)) {
                return false;
            }
        }
        return true;
    }

    private static boolean nullableWithNullDefault(Schema.Field field) {
        Schema schema = field.schema();
        return schema.getType() == Schema.Type.UNION && !schema.getTypes().isEmpty()
                && schema.getTypes().get(0).getType() == Schema.Type.NULL
                && field.hasDefaultValue() && field.defaultVal() == JsonProperties.NULL_VALUE;
    }
}
