package dev.sluice.connect.jdbc;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * Finds a configured table in the database's metadata (trying the name as written, then folded to the case
 * the database stores unquoted names in) and reads its primary key.
 */
public final class TableResolver {

    private final Connection connection;
    private final DatabaseMetaData metaData;

    public TableResolver(Connection connection) throws SQLException {
        this.connection = connection;
        this.metaData = connection.getMetaData();
    }

    /** Thrown when a configured table does not exist or its name is ambiguous. */
    public static final class UnresolvedTableException extends Exception {
        public UnresolvedTableException(String message) {
            super(message);
        }
    }

    /**
     * @return the table as the database names it, with its catalog and schema filled in
     * @throws UnresolvedTableException if no table or several tables (in different schemas) match
     */
    public TableId resolve(TableId requested) throws SQLException, UnresolvedTableException {
        List<UnaryOperator<String>> spellings = new ArrayList<>(List.of(UnaryOperator.identity()));
        if (metaData.storesLowerCaseIdentifiers()) {
            spellings.add(s -> s.toLowerCase(Locale.ROOT));
        } else if (metaData.storesUpperCaseIdentifiers()) {
            spellings.add(s -> s.toUpperCase(Locale.ROOT));
        }
        for (UnaryOperator<String> spelling : spellings) {
            List<TableId> found = find(fold(requested, spelling));
            if (found.size() == 1) {
                return found.get(0);
            }
            if (found.size() > 1) {
                String current = connection.getSchema();
                List<TableId> inCurrentSchema = found.stream()
                        .filter(t -> t.schema() != null && t.schema().equals(current)).toList();
                if (inCurrentSchema.size() == 1) {
                    return inCurrentSchema.get(0);
                }
                throw new UnresolvedTableException("table '" + requested + "' exists in several schemas "
                        + found + "; qualify it as schema.table");
            }
        }
        throw new UnresolvedTableException("table '" + requested + "' does not exist or the user cannot see it");
    }

    /** The primary key columns in key order; empty if the table has none. */
    public List<String> primaryKey(TableId table) throws SQLException {
        Map<Integer, String> columns = new TreeMap<>();
        try (ResultSet rs = metaData.getPrimaryKeys(table.catalog(), table.schema(), table.table())) {
            while (rs.next()) {
                columns.put(rs.getInt("KEY_SEQ"), rs.getString("COLUMN_NAME"));
            }
        }
        return List.copyOf(columns.values());
    }

    private List<TableId> find(TableId name) throws SQLException {
        List<TableId> found = new ArrayList<>();
        try (ResultSet rs = metaData.getTables(name.catalog(), pattern(name.schema()), pattern(name.table()), null)) {
            while (rs.next()) {
                String type = String.valueOf(rs.getString("TABLE_TYPE")).toUpperCase(Locale.ROOT);
                if (type.contains("INDEX") || type.contains("SEQUENCE") || type.contains("TYPE")) {
                    continue;
                }
                TableId table = new TableId(rs.getString("TABLE_CAT"), rs.getString("TABLE_SCHEM"),
                        rs.getString("TABLE_NAME"));
                if (table.table().equals(name.table())
                        && (name.schema() == null || name.schema().equals(table.schema()))) {
                    found.add(table);
                }
            }
        }
        return found;
    }

    private String pattern(String name) throws SQLException {
        if (name == null) {
            return null;
        }
        String escape = metaData.getSearchStringEscape();
        if (escape == null || escape.isEmpty()) {
            return name;
        }
        return name.replace(escape, escape + escape).replace("_", escape + "_").replace("%", escape + "%");
    }

    private static TableId fold(TableId id, UnaryOperator<String> spelling) {
        return new TableId(id.catalog() == null ? null : spelling.apply(id.catalog()),
                id.schema() == null ? null : spelling.apply(id.schema()),
                spelling.apply(id.table()));
    }
}
