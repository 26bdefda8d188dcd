package dev.sluice.connect.jdbc;

import static dev.sluice.connect.jdbc.JdbcSourceConnectorConfig.CONNECTION_PASSWORD;
import static dev.sluice.connect.jdbc.JdbcSourceConnectorConfig.CONNECTION_URL;
import static dev.sluice.connect.jdbc.JdbcSourceConnectorConfig.CONNECTION_USER;
import static dev.sluice.connect.jdbc.JdbcSourceConnectorConfig.INCREMENTING_COLUMN;
import static dev.sluice.connect.jdbc.JdbcSourceConnectorConfig.KEY_COLUMNS;
import static dev.sluice.connect.jdbc.JdbcSourceConnectorConfig.QUERY;
import static dev.sluice.connect.jdbc.JdbcSourceConnectorConfig.TABLES;
import static dev.sluice.connect.jdbc.JdbcSourceConnectorConfig.TIMESTAMP_COLUMN;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.connect.errors.DataException;

/**
 * The checks of a configuration that need the live database: it can be reached with the credentials, the
 * tables exist and can be read (or the query runs), and the columns the mode and key name exist with a type
 * that fits. Each problem is reported against the setting to fix. It reads in a read-only transaction that it
 * rolls back, so a query that tries to write fails here instead of writing.
 */
public final class DatabaseValidator {

    private static final Set<Integer> INTEGER_TYPES = Set.of(Types.TINYINT, Types.SMALLINT, Types.INTEGER,
            Types.BIGINT);
    private static final Set<Integer> DECIMAL_TYPES = Set.of(Types.NUMERIC, Types.DECIMAL);
    private static final Set<Integer> TIMESTAMP_TYPES = Set.of(Types.TIMESTAMP, Types.TIMESTAMP_WITH_TIMEZONE,
            Types.DATE);
    private static final int MAX_LONG_DIGITS = 18;

    private final JdbcSourceConnectorConfig config;
    private final ConnectionFactory connections;
    private final Map<String, List<String>> errors = new LinkedHashMap<>();

    private DatabaseValidator(JdbcSourceConnectorConfig config) {
        this.config = config;
        this.connections = ConnectionFactory.of(config);
    }

    /** @return error messages per setting; empty when the database accepts the configuration */
    public static Map<String, List<String>> validate(JdbcSourceConnectorConfig config) {
        DatabaseValidator validator = new DatabaseValidator(config);
        validator.run();
        return validator.errors;
    }

    private void run() {
        Connection connection;
        try {
            connection = connections.open();
        } catch (SQLException e) {
            reportConnectionFailure(connections.sanitize(e));
            return;
        }
        try (connection) {
            connection.setAutoCommit(false);
            connection.setReadOnly(true);
            check(connection);
            connection.rollback();
        } catch (SQLException e) {
            error(CONNECTION_URL, "reading the database's metadata failed: " + connections.sanitize(e).getMessage());
        }
    }

    private void check(Connection connection) throws SQLException {
        if (config.query().isPresent()) {
            checkSource(connection, "the query", QueryBuilder.fromQuery(config.query().get()), QUERY, List.of());
            return;
        }
        DatabaseDialect dialect = DatabaseDialect.from(connection.getMetaData());
        TableResolver resolver = new TableResolver(connection);
        for (TableId configured : config.tables()) {
            TableId table;
            try {
                table = resolver.resolve(configured);
            } catch (TableResolver.UnresolvedTableException e) {
                error(TABLES, e.getMessage());
                continue;
            }
            checkSource(connection, "table " + table.dottedName(), dialect.quote(table), TABLES,
                    resolver.primaryKey(table));
        }
    }

    private void reportConnectionFailure(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String detail = e.getMessage() + " (SQLState " + (state.isEmpty() ? "unknown" : state) + ")";
        String user = config.connectionUser() == null ? "(driver default)" : "'" + config.connectionUser() + "'";
        if ("28P01".equals(state)) {
            error(CONNECTION_PASSWORD, "the database rejected the password of user " + user + ": " + detail);
        } else if (state.startsWith("28")) {
            error(CONNECTION_USER, "the database rejected user " + user + ": " + detail);
        } else {
            error(CONNECTION_URL, "cannot connect to " + connections.redactedUrl() + ": " + detail);
        }
    }

    private void checkSource(Connection connection, String what, String from, String sourceKey,
                             List<String> primaryKey) {
        List<ColumnDescriptor> columns = new ArrayList<>();
        String probe = new QueryBuilder(Mode.BULK, from, null, null).emptyResultQuery();
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(probe)) {
            ResultSetMetaData md = rs.getMetaData();
            for (int i = 1; i <= md.getColumnCount(); i++) {
                columns.add(ColumnDescriptor.of(md, i));
            }
        } catch (SQLException e) {
            error(sourceKey, "cannot read " + what + ": " + connections.sanitize(e).getMessage());
            // A failed statement aborts the transaction (PostgreSQL): start the next check in a fresh one.
            rollbackQuietly(connection);
            return;
        }
        int errorsBefore = errorCount();
        Mode mode = config.mode();
        if (mode.usesIncrementingColumn()) {
            config.incrementingColumn().ifPresent(column -> findColumn(columns, column, what, INCREMENTING_COLUMN)
                    .filter(c -> !isIncrementingType(c))
                    .ifPresent(c -> error(INCREMENTING_COLUMN, "column '" + c.name() + "' of " + what + " is "
                            + c.typeName() + "; " + INCREMENTING_COLUMN + " needs an integer column")));
        }
        if (mode.usesTimestampColumn()) {
            config.timestampColumn().ifPresent(column -> findColumn(columns, column, what, TIMESTAMP_COLUMN)
                    .filter(c -> !TIMESTAMP_TYPES.contains(c.jdbcType()))
                    .ifPresent(c -> error(TIMESTAMP_COLUMN, "column '" + c.name() + "' of " + what + " is "
                            + c.typeName() + "; " + TIMESTAMP_COLUMN + " needs a timestamp or date column")));
        }
        for (String keyColumn : config.keyColumns()) {
            findColumn(columns, keyColumn, what, KEY_COLUMNS);
        }
        if (errorCount() > errorsBefore) {
            return;
        }
        List<String> key = !config.keyColumns().isEmpty() ? config.keyColumns()
                : config.incrementingColumn().filter(c -> mode.usesIncrementingColumn()).map(List::of)
                        .orElse(primaryKey);
        try {
            RowConverter.create(columns, new TypeMapper(config.dbTimeZone()), "validation", key);
        } catch (DataException e) {
            error(sourceKey, what + ": " + e.getMessage());
        }
    }

    private void rollbackQuietly(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            error(CONNECTION_URL, "ending a transaction failed: " + connections.sanitize(e).getMessage());
        }
    }

    private Optional<ColumnDescriptor> findColumn(List<ColumnDescriptor> columns, String column,
                                                            String what, String key) {
        OptionalInt index = RowConverter.indexOf(columns, column);
        if (index.isPresent()) {
            return Optional.of(columns.get(index.getAsInt()));
        }
        error(key, "column '" + column + "' does not exist in " + what + "; its columns are "
                + columns.stream().map(ColumnDescriptor::name).collect(Collectors.joining(", ")));
        return Optional.empty();
    }

    private static boolean isIncrementingType(ColumnDescriptor column) {
        return INTEGER_TYPES.contains(column.jdbcType())
                || DECIMAL_TYPES.contains(column.jdbcType()) && column.scale() == 0
                        && column.precision() > 0 && column.precision() <= MAX_LONG_DIGITS;
    }

    private int errorCount() {
        return errors.values().stream().mapToInt(List::size).sum();
    }

    private void error(String key, String message) {
        errors.computeIfAbsent(key, k -> new ArrayList<>()).add(key + ": " + message);
    }
}
