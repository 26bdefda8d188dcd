package dev.sluice.lake.iceberg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.inmemory.InMemoryCatalog;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;

class OptionalColumnsTest {

    private static final Schema SESSIONS = new Schema(
            Types.NestedField.required(1, "user_id", Types.StringType.get()),
            Types.NestedField.required(2, "window", Types.StructType.of(
                    Types.NestedField.required(3, "start", Types.LongType.get()))),
            Types.NestedField.optional(4, "pages", Types.IntegerType.get()));

    @Test
    void requiredTopLevelColumnsBecomeOptionalNestedOnesStayAndASecondRunChangesNothing() throws Exception {
        try (InMemoryCatalog catalog = new InMemoryCatalog()) {
            catalog.initialize("test", Map.of());
            catalog.createNamespace(Namespace.of("gold"));
            TableIdentifier id = TableIdentifier.of("gold", "user_sessions");
            catalog.createTable(id, SESSIONS);

            assertEquals(List.of("user_id", "window"), OptionalColumns.relax(catalog, id));

            Table table = catalog.loadTable(id);
            assertTrue(table.schema().findField("user_id").isOptional(), table.schema().toString());
            assertTrue(table.schema().findField("window").isOptional(), table.schema().toString());
            assertTrue(table.schema().findField("window.start").isRequired(), "nested fields keep theirs");
            assertEquals(List.of(), OptionalColumns.relax(catalog, id));
            assertEquals(List.of(), OptionalColumns.relax(catalog, TableIdentifier.of("gold", "missing")));
        }
    }
}
