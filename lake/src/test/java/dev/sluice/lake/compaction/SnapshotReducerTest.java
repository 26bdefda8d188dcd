package dev.sluice.lake.compaction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.util.Utf8;
import org.junit.jupiter.api.Test;

class SnapshotReducerTest {

    private static final Schema ITEM = SchemaBuilder.record("Line").fields()
            .name("key").type(SchemaBuilder.record("Key").fields().requiredLong("order_id").requiredInt("line")
                    .endRecord()).noDefault()
            .requiredString("state").optionalString("__deleted").optionalBoolean("gone").endRecord();
    private static final Schema KEY = ITEM.getField("key").schema();

    private static GenericRecord line(long order, int line, String state, String deleted) {
        GenericRecord key = new GenericData.Record(KEY);
        key.put("order_id", order);
        key.put("line", line);
        GenericRecord row = new GenericData.Record(ITEM);
        row.put("key", key);
        row.put("state", state);
        row.put("__deleted", deleted);
        return row;
    }

    private static List<String> states(SnapshotReducer reducer) {
        return reducer.survivors().stream().map(s -> s.row().get("state").toString()).toList();
    }

    @Test
    void keepsTheLatestRowPerCompositeKeyInKafkaOrder() {
        SnapshotReducer reducer = new SnapshotReducer(SnapshotSpec.of(List.of("key.order_id", "key.line")), 100);
        long offset = 0;
        for (GenericRecord row : List.of(line(1, 1, "a", null), line(1, 2, "b", "false"), line(2, 1, "c", null),
                line(1, 1, "a2", "false"), line(2, 1, "c-deleted", "true"), line(3, 1, "d", null),
                line(2, 1, "c-again", null))) {
            reducer.accept(row, new MergeKey(0, offset++), 0);
        }
        assertEquals(List.of("b", "a2", "d", "c-again"), states(reducer));
        assertEquals(7, reducer.rowsSeen());
    }

    @Test
    void deleteMarkersCanBeKeptAsTheLatestVersion() {
        SnapshotReducer reducer = new SnapshotReducer(
                new SnapshotSpec(List.of("key.order_id"), "__deleted", true), 100);
        reducer.accept(line(1, 1, "a", null), new MergeKey(0, 0), 0);
        reducer.accept(line(1, 1, "a-deleted", "true"), new MergeKey(0, 1), 1);
        assertEquals(List.of("a-deleted"), states(reducer));
        assertEquals(1, reducer.survivors().get(0).group());
    }

    @Test
    void aBooleanDeleteFieldAndKeysOfDifferentAvroClassesWork() {
        SnapshotReducer reducer = new SnapshotReducer(new SnapshotSpec(List.of("state"), "gone", false), 100);
        GenericRecord first = line(1, 1, "same", null);
        GenericRecord second = line(1, 1, "same", null);
        second.put("state", new Utf8("same"));
        second.put("gone", true);
        reducer.accept(first, new MergeKey(0, 0), 0);
        reducer.accept(second, new MergeKey(0, 1), 0);
        assertTrue(reducer.survivors().isEmpty(), "a Utf8 key equals a String key; gone=true deletes it");
    }

    @Test
    void refusesToGrowBeyondItsBoundAndNamesMissingKeyFields() {
        SnapshotReducer bounded = new SnapshotReducer(SnapshotSpec.of(List.of("state")), 2);
        bounded.accept(line(1, 1, "a", null), new MergeKey(0, 0), 0);
        bounded.accept(line(1, 1, "b", null), new MergeKey(0, 1), 0);
        IllegalStateException full = assertThrows(IllegalStateException.class,
                () -> bounded.accept(line(1, 1, "c", null), new MergeKey(0, 2), 0));
        assertTrue(full.getMessage().contains("snapshot-max-keys"), full.getMessage());

        SnapshotReducer wrongKey = new SnapshotReducer(SnapshotSpec.of(List.of("customer_id")), 10);
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> wrongKey.accept(line(1, 1, "a", null), new MergeKey(0, 0), 0));
        assertTrue(missing.getMessage().contains("customer_id"), missing.getMessage());
    }
}
