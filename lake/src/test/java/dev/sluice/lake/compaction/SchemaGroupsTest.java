package dev.sluice.lake.compaction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.Test;

class SchemaGroupsTest {

    private static final Schema V1 = SchemaBuilder.record("Order").namespace("x").fields()
            .requiredLong("id").requiredString("customer").endRecord();
    private static final Schema V2 = SchemaBuilder.record("Order").namespace("x").fields()
            .requiredLong("id").requiredString("customer").optionalString("coupon").endRecord();
    private static final Schema V3 = SchemaBuilder.record("Order").namespace("x").fields()
            .requiredLong("id").requiredString("customer").optionalString("coupon").optionalLong("points").endRecord();
    private static final Schema REQUIRED_ADDED = SchemaBuilder.record("Order").namespace("x").fields()
            .requiredLong("id").requiredString("customer").requiredString("channel").endRecord();
    private static final Schema TYPE_CHANGED = SchemaBuilder.record("Order").namespace("x").fields()
            .requiredString("id").requiredString("customer").endRecord();
    private static final Schema OTHER_NAME = SchemaBuilder.record("Invoice").namespace("x").fields()
            .requiredLong("id").requiredString("customer").optionalString("coupon").endRecord();

    @Test
    void addingNullableFieldsWidensNothingElseDoes() {
        assertTrue(SchemaGroups.widens(V2, V1));
        assertTrue(SchemaGroups.widens(V3, V1));
        assertFalse(SchemaGroups.widens(V1, V2), "dropping a field loses data");
        assertFalse(SchemaGroups.widens(REQUIRED_ADDED, V1), "a required field has no value for old rows");
        assertFalse(SchemaGroups.widens(TYPE_CHANGED, V1));
        assertFalse(SchemaGroups.widens(OTHER_NAME, V1));
    }

    @Test
    void groupsInputsUnderTheWidestSchemaTheyFit() {
        List<PlannedInput> inputs = new ArrayList<>();
        Schema[] schemas = {V1, V2, TYPE_CHANGED, V1, V3, TYPE_CHANGED};
        for (int i = 0; i < schemas.length; i++) {
            inputs.add(new PlannedInput(new InputSelection.Candidate("f" + i, 10, PublishedFile.Origin.SINK,
                    new MergeKey(0, i)), schemas[i], 1));
        }
        List<SchemaGroups.SchemaGroup> groups = SchemaGroups.group(inputs);
        assertEquals(2, groups.size());
        assertEquals(V3, groups.get(0).schema());
        assertEquals(List.of("f0", "f1", "f3", "f4"), groups.get(0).inputs().stream().map(PlannedInput::name).toList());
        assertEquals(TYPE_CHANGED, groups.get(1).schema());
        assertEquals(List.of("f2", "f5"), groups.get(1).inputs().stream().map(PlannedInput::name).toList());
    }
}
