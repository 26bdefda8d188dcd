package dev.sluice.app.dataset.source;

import java.util.regex.Pattern;

/**
 * A table of a dataset's source, {@code schema.table} ({@code public} when the schema is left out). Only plain
 * identifiers are accepted, so the name can be put into SQL and connector settings as it is.
 */
record TableName(String schema, String table) {

    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    /**
     * @throws IllegalArgumentException saying what is wrong with {@code name}
     */
    static TableName parse(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a table is required");
        }
        String[] parts = name.strip().split("\\.", -1);
        if (parts.length > 2 || !IDENTIFIER.matcher(parts[parts.length - 1]).matches()
                || parts.length == 2 && !IDENTIFIER.matcher(parts[0]).matches()) {
            throw new IllegalArgumentException("'" + name + "' is not [schema.]table of lower-case letters, digits "
                    + "and '_'");
        }
        return parts.length == 2 ? new TableName(parts[0], parts[1]) : new TableName("public", parts[0]);
    }

    /** {@code schema.table}, as Debezium's include list and SQL name it. */
    String qualified() {
        return schema + "." + table;
    }
}
