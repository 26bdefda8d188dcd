package dev.sluice.connect.jdbc;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A table named by optional catalog, optional schema and table name, as written in the {@code tables}
 * setting ({@code table}, {@code schema.table} or {@code catalog.schema.table}) or as resolved from the
 * database's metadata.
 */
public record TableId(String catalog, String schema, String table) {

    public TableId {
        Objects.requireNonNull(table, "table");
        catalog = blankToNull(catalog);
        schema = blankToNull(schema);
    }

    /**
     * Parses a dotted name. Identifiers containing dots cannot be written here.
     *
     * @throws IllegalArgumentException if a part is empty or there are more than three parts
     */
    public static TableId parse(String name) {
        String trimmed = name == null ? "" : name.trim();
        String[] parts = trimmed.split("\\.", -1);
        for (String part : parts) {
            if (part.isBlank()) {
                throw new IllegalArgumentException("'" + name + "' is not a table name: expected table, "
                        + "schema.table or catalog.schema.table");
            }
        }
        return switch (parts.length) {
            case 1 -> new TableId(null, null, parts[0].trim());
            case 2 -> new TableId(null, parts[0].trim(), parts[1].trim());
            case 3 -> new TableId(parts[0].trim(), parts[1].trim(), parts[2].trim());
            default -> throw new IllegalArgumentException("'" + name + "' has more than three dotted parts: "
                    + "expected table, schema.table or catalog.schema.table");
        };
    }

    /** The dotted name, unquoted: what logs, offsets and messages show. */
    public String dottedName() {
        List<String> parts = new ArrayList<>(3);
        if (catalog != null) {
            parts.add(catalog);
        }
        if (schema != null) {
            parts.add(schema);
        }
        parts.add(table);
        return String.join(".", parts);
    }

    @Override
    public String toString() {
        return dottedName();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
