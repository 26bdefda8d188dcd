package dev.sluice.connect.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one source partition (a table or the custom query): runs its query, streams the result over as
 * many polls as it takes, and remembers the position of the last row it handed out so the next query, and a
 * query re-run after a database error, continue right after it.
 *
 * <p>Every record carries the offset of its own row, so Connect's committed offset is always the position
 * of a delivered row. In timestamp mode, where rows can share a timestamp and the offset has no id to tell
 * them apart, a record carries its timestamp only when it is the last row with that timestamp; the rows
 * before it carry the previous timestamp. A restart therefore repeats at most the rows of one timestamp and
 * never skips one.
 */
final class SourceReader {

    private static final Logger LOG = LoggerFactory.getLogger(SourceReader.class);

    private final String description;
    private final Map<String, ?> partition;
    private final String topic;
    private final String schemaName;
    private final Mode mode;
    private final QueryBuilder queryBuilder;
    private final DatabaseDialect dialect;
    private final TypeMapper typeMapper;
    private final List<String> keyColumns;
    private final String timestampColumn;
    private final String incrementingColumn;
    private final long timestampDelayMs;
    private final int batchMaxRows;
    private final long pollIntervalMs;

    private SourceOffset offset;
    private long nextRunAtMs;

    private PreparedStatement statement;
    private ResultSet resultSet;
    private RowConverter converter;
    private int timestampIndex;
    private int incrementingIndex;
    private boolean onRow;
    private SourceOffset lastRowPosition;
    private boolean outOfOrderLogged;

    /** What one reader reads and where its records go. */
    record Spec(String description, Map<String, ?> partition, String topic, String schemaName, String from,
                List<String> keyColumns) {
    }

    SourceReader(Spec spec, JdbcSourceConnectorConfig config, DatabaseDialect dialect, TypeMapper typeMapper,
                 SourceOffset committed) {
        this.description = spec.description();
        this.partition = spec.partition();
        this.topic = spec.topic();
        this.schemaName = spec.schemaName();
        this.mode = config.mode();
        this.dialect = dialect;
        this.typeMapper = typeMapper;
        this.keyColumns = spec.keyColumns();
        this.timestampColumn = config.timestampColumn().orElse(null);
        this.incrementingColumn = config.incrementingColumn().orElse(null);
        this.queryBuilder = new QueryBuilder(mode, spec.from(),
                timestampColumn == null ? null : dialect.quote(timestampColumn),
                incrementingColumn == null ? null : dialect.quote(incrementingColumn));
        this.timestampDelayMs = config.timestampDelayMs();
        this.batchMaxRows = config.batchMaxRows();
        this.pollIntervalMs = config.pollIntervalMs();
        this.offset = committed;
    }

    String description() {
        return description;
    }

    Map<String, ?> partition() {
        return partition;
    }

    SourceOffset offset() {
        return offset;
    }

    /** Whether a result is open, i.e. rows of the current query may remain. */
    boolean isOpen() {
        return resultSet != null;
    }

    long nextRunAtMs() {
        return nextRunAtMs;
    }

    /**
     * Returns up to {@code batch.max.rows} records, running the query first if none is open. When the
     * result is exhausted it is closed, the transaction ended, and the next run scheduled a poll interval later.
     */
    List<SourceRecord> read(Connection connection, long nowMs) throws SQLException {
        if (!isOpen()) {
            execute(connection);
        }
        List<SourceRecord> records = new ArrayList<>(Math.min(batchMaxRows, 1024));
        // The reader's offset moves only once the batch is handed out: if reading fails half-way the batch is
        // dropped, and the query re-run after the error must start after the last row actually delivered.
        SourceOffset position = offset;
        while (records.size() < batchMaxRows && onRow) {
            Struct value = converter.value(resultSet);
            SourceOffset rowPosition = position();
            onRow = resultSet.next();
            SourceOffset recordOffset = recordOffset(rowPosition, position);
            checkOrder(rowPosition);
            position = recordOffset;
            records.add(new SourceRecord(partition, recordOffset.toMap(), topic, null,
                    converter.keySchema(), converter.key(value), converter.valueSchema(), value));
        }
        if (!onRow) {
            close();
            connection.commit();
            nextRunAtMs = nowMs + pollIntervalMs;
        }
        offset = position;
        return records;
    }

    /** Closes the open result, if any; the next read re-runs the query from the last delivered row. */
    void close() {
        onRow = false;
        lastRowPosition = null;
        if (resultSet != null) {
            try {
                resultSet.close();
            } catch (SQLException e) {
                LOG.debug("Closing the result of {} failed: {}", description, e.getMessage());
            }
            resultSet = null;
        }
        if (statement != null) {
            try {
                statement.close();
            } catch (SQLException e) {
                LOG.debug("Closing the statement of {} failed: {}", description, e.getMessage());
            }
            statement = null;
        }
    }

    private void execute(Connection connection) throws SQLException {
        Instant upperBound = mode.usesTimestampColumn() ? databaseNow(connection).minusMillis(timestampDelayMs) : null;
        QueryBuilder.BoundQuery query = queryBuilder.build(offset, upperBound);
        LOG.trace("Querying {} from offset {}: {}", description, offset, query.sql());
        statement = connection.prepareStatement(query.sql(), ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
        try {
            statement.setFetchSize(batchMaxRows);
            Calendar calendar = typeMapper.calendar();
            int index = 1;
            for (Object parameter : query.parameters()) {
                if (parameter instanceof Instant instant) {
                    statement.setTimestamp(index++, Timestamp.from(instant), calendar);
                } else {
                    statement.setLong(index++, (Long) parameter);
                }
            }
            resultSet = statement.executeQuery();
            ResultSetMetaData md = resultSet.getMetaData();
            List<ColumnDescriptor> columns = new ArrayList<>();
            for (int i = 1; i <= md.getColumnCount(); i++) {
                columns.add(ColumnDescriptor.of(md, i));
            }
            converter = RowConverter.create(columns, typeMapper, schemaName, keyColumns);
            timestampIndex = columnIndex(columns, timestampColumn, JdbcSourceConnectorConfig.TIMESTAMP_COLUMN);
            incrementingIndex = columnIndex(columns, incrementingColumn, JdbcSourceConnectorConfig.INCREMENTING_COLUMN);
            onRow = resultSet.next();
        } catch (SQLException | RuntimeException e) {
            close();
            throw e;
        }
    }

    private Instant databaseNow(Connection connection) throws SQLException {
        try (PreparedStatement now = connection.prepareStatement(dialect.currentTimestampQuery());
             ResultSet rs = now.executeQuery()) {
            if (!rs.next()) {
                throw new SQLException("'" + dialect.currentTimestampQuery() + "' returned no row");
            }
            return rs.getTimestamp(1, typeMapper.calendar()).toInstant();
        }
    }

    private int columnIndex(List<ColumnDescriptor> columns, String column, String key) {
        if (column == null) {
            return -1;
        }
        OptionalInt index = RowConverter.indexOf(columns, column);
        if (index.isEmpty()) {
            throw new ConnectException(description + " has no column '" + column + "' (" + key + ")");
        }
        return index.getAsInt() + 1;
    }

    /** The (timestamp, id) of the current row, each only if the mode uses it. */
    private SourceOffset position() throws SQLException {
        Instant ts = null;
        Long id = null;
        if (timestampIndex > 0) {
            ts = typeMapper.readTimestampValue(resultSet, timestampIndex).toInstant();
        }
        if (incrementingIndex > 0) {
            id = resultSet.getLong(incrementingIndex);
        }
        return SourceOffset.of(ts, id);
    }

    /**
     * The offset a row's record carries, called after the cursor moved past the row at {@code rowPosition};
     * {@code previous} is the offset of the record before it.
     */
    private SourceOffset recordOffset(SourceOffset rowPosition, SourceOffset previous) throws SQLException {
        return switch (mode) {
            case BULK -> SourceOffset.start();
            case INCREMENTING, TIMESTAMP_INCREMENTING -> rowPosition;
            case TIMESTAMP -> {
                boolean lastWithThisTimestamp = !onRow
                        || !typeMapper.readTimestampValue(resultSet, timestampIndex).toInstant()
                                .equals(rowPosition.timestamp());
                yield lastWithThisTimestamp ? rowPosition : previous;
            }
        };
    }

    private void checkOrder(SourceOffset rowPosition) {
        if (lastRowPosition != null && rowPosition.compareTo(lastRowPosition) < 0 && !outOfOrderLogged) {
            outOfOrderLogged = true;
            LOG.warn("{} returned a row at {} after one at {}: the database orders the query differently from "
                    + "the offsets (for a timestamp without time zone, check db.timezone)",
                    description, rowPosition, lastRowPosition);
        }
        lastRowPosition = rowPosition;
    }
}
