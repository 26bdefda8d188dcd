package dev.sluice.lake.iceberg;

import java.util.ArrayList;
import java.util.List;

import org.apache.iceberg.Table;
import org.apache.iceberg.UpdateSchema;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.types.Types.NestedField;
import org.apache.iceberg.util.Tasks;

/**
 * Makes a table's required top-level columns optional, so that the delete-marker rows of its sink (null in every
 * value column, docs/lake/iceberg.md "Tombstones") fit it. Iceberg's sink relaxes a required column itself only when
 * a record with a value reaches the table first; a marker first fails the task on the null. Tables the sink creates
 * with markers on are optional already; this is for tables created before.
 */
public final class OptionalColumns {

    private OptionalColumns() {
    }

    /**
     * Relaxes {@code id}'s required top-level columns in one schema update, retried on a concurrent commit (the sink
     * may be appending); returns their names, empty when there were none or the table does not exist.
     */
    public static List<String> relax(Catalog catalog, TableIdentifier id) {
        if (!catalog.tableExists(id)) {
            return List.of();
        }
        Table table = catalog.loadTable(id);
        List<String> relaxed = new ArrayList<>();
        Tasks.foreach(table).retry(3).exponentialBackoff(100, 1000, 5000, 2.0)
                .onlyRetryOn(CommitFailedException.class).throwFailureWhenFinished().run(current -> {
                    current.refresh();
                    relaxed.clear();
                    for (NestedField column : current.schema().columns()) {
                        if (column.isRequired()) {
                            relaxed.add(column.name());
                        }
                    }
                    if (!relaxed.isEmpty()) {
                        UpdateSchema update = current.updateSchema();
                        relaxed.forEach(update::makeColumnOptional);
                        update.commit();
                    }
                });
        return List.copyOf(relaxed);
    }
}
