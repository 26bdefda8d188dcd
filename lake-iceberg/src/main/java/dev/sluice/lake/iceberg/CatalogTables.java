package dev.sluice.lake.iceberg;

import java.util.ArrayList;
import java.util.List;

import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;

/** The tables of a catalog under a namespace and every namespace below it (the sink's are nested: bronze.pg). */
final class CatalogTables {

    private CatalogTables() {
    }

    /** Every table in {@code root} and below; the empty namespace is the whole catalog. */
    static List<TableIdentifier> under(Catalog catalog, Namespace root) {
        List<TableIdentifier> tables = new ArrayList<>();
        if (!root.isEmpty()) {
            tables.addAll(catalog.listTables(root));
        }
        if (catalog instanceof SupportsNamespaces namespaces) {
            collect(catalog, namespaces, root, tables);
        }
        return tables;
    }

    private static void collect(Catalog catalog, SupportsNamespaces namespaces, Namespace parent,
            List<TableIdentifier> tables) {
        for (Namespace namespace : namespaces.listNamespaces(parent)) {
            tables.addAll(catalog.listTables(namespace));
            collect(catalog, namespaces, namespace, tables);
        }
    }
}
