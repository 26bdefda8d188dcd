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
import java.util.Optional;
import java.util.OptionalInt;
import dev.sluice.connect.errors.SourceDeadLetter;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.header.Headers;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one source partition (a table or the custom query) page by page: each read runs its query from the
 * position of the last row it handed out, takes up to {@code batch.max.rows} rows, closes the result and ends
 * the transaction, so no transaction (and no snapshot or lock) is held between polls. A query re-run after a
 * database error continues right after the last delivered row too.
 *
 * <p>Every record carries the offset of its own row, so Connect's committed offset is always the position
 * of a delivered row. In timestamp mode, where rows can share a timestamp and the offset has no id to tell
 * them apart, a record carries its timestamp only when it is the last row with that timestamp; the rows
 * before it carry the previous timestamp, and a page always ends after the last row of a timestamp (it may
 * hold more than {@code batch.max.rows} rows for that). A restart therefore repeats at most the rows of one
 * timestamp and never skips one. Bulk mode has no position to resume from, so one read copies the whole
 * result.
 */
final class SourceReader {

    private static final Logger LOG = LoggerFactory.getLogger(SourceReader.class);

    private final String description;
    private final Map<String, ?> partition;
    private final String topic;
    private final String schemaName;
    private final Mode mode;
    private final QueryBuilder queryBuilder;
    private final TimestampBound timestampBound;
    private final TypeMapper typeMapper;
    private final List<String> keyColumns;
    private final String timestampColumn;
    private final String incrementingColumn;
    private final int batchMaxRows;
    private final long pollIntervalMs;
    /** Where rows go whose value the driver cannot read; null: such a row fails the read. */
    private final String deadLetterTopic;

    private SourceOffset offset;
    private long nextRunAtMs;

    private PreparedStatement statement;
    private ResultSet resultSet;
    private RowConverter converter;
    private int timestampIndex;
    private int incrementingIndex;
    private boolean onRow;
    private boolean hasMore;
    private SourceOffset pagePosition;
    private SourceOffset lastRowPosition;
    private boolean outOfOrderLogged;

    /** What one reader reads and where its records go. */
    record Spec(String description, Map<String, ?> partition, String topic, String schemaName, String from,
                List<String> keyColumns) {
    }

    SourceReader(Spec spec, JdbcSourceConnectorConfig config, DatabaseDialect dialect, TypeMapper typeMapper,
                 TimestampBound timestampBound, SourceOffset committed) {
        this.description = spec.description();
        this.partition = spec.partition();
        this.topic = spec.topic();
        this.schemaName = spec.schemaName();
        this.mode = config.mode();
        this.timestampBound = timestampBound;
        this.typeMapper = typeMapper;
        this.keyColumns = spec.keyColumns();
        this.timestampColumn = config.timestampColumn().orElse(null);
        this.incrementingColumn = config.incrementingColumn().orElse(null);
        this.queryBuilder = new QueryBuilder(mode, spec.from(),
                timestampColumn == null ? null : dialect.quote(timestampColumn),
                incrementingColumn == null ? null : dialect.quote(incrementingColumn));
        this.batchMaxRows = config.batchMaxRows();
        this.pollIntervalMs = config.pollIntervalMs();
        this.deadLetterTopic = config.deadLetterUnreadableValues() ? config.deadLetterTopic() : null;
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

    /** Whether the last read stopped at the page size, so rows may be waiting: read again without a pause. */
    boolean hasMore() {
        return hasMore;
    }

    long nextRunAtMs() {
        return nextRunAtMs;
    }

    /**
     * Runs the query and returns its next page of records, then closes the result and commits, so the
     * connection is idle, outside any transaction, when this returns. When the page was not full the next run
     * is scheduled a poll interval later.
     */
    List<SourceRecord> read(Connection connection, long nowMs) throws SQLException {
        List<SourceRecord> records = new ArrayList<>(Math.min(batchMaxRows, 1024));
        pagePosition = offset;
        boolean full = false;
        try {
            if (execute(connection)) {
                full = readPage(records);
            }
        } finally {
            close();
        }
        connection.commit();
        hasMore = full;
        nextRunAtMs = full ? nowMs : nowMs + pollIntervalMs;
        offset = pagePosition;
        return records;
    }

    /**
     * Reads rows until the page is full (in timestamp mode: and the last row's timestamp is complete) or the
     * result ends. The reader's offset moves only once the page is handed out: if reading fails half-way the
     * page is dropped, and the query re-run after the error starts after the last row actually delivered.
     *
     * {@link #pagePosition} ends as the offset of the page's last record.
     *
     * @return whether the page filled up before the result ended
     */
    private boolean readPage(List<SourceRecord> records) throws SQLException {
        int limit = mode == Mode.BULK ? Integer.MAX_VALUE : batchMaxRows;
        boolean timestampComplete = true;
        while (onRow) {
            if (records.size() >= limit && timestampComplete) {
                return true;
            }
            Struct value = null;
            SQLException unreadable = null;
            try {
                value = converter.value(resultSet);
            } catch (SQLException e) {
                if (deadLetterTopic == null || !isDataException(e)) {
                    throw e;
                }
                unreadable = e;
            }
            Map<String, String> text = unreadable == null ? null : converter.text(resultSet);
            SourceOffset rowPosition = position();
            onRow = resultSet.next();
            SourceOffset recordOffset = recordOffset(rowPosition, pagePosition);
            timestampComplete = recordOffset.equals(rowPosition);
            checkOrder(rowPosition);
            pagePosition = recordOffset;
            records.add(unreadable == null
                    ? new SourceRecord(partition, recordOffset.toMap(), topic, null,
                            converter.keySchema(), converter.key(value), converter.valueSchema(), value)
                    : deadLetter(recordOffset.toMap(), text, unreadable));
        }
        return false;
    }

    /**
     * Whether the driver rejected a value of the row rather than failing to talk to the database: SQLState class
     * 22, data exception (PostgreSQL's driver: 22003 for a numeric 'NaN' read as a decimal).
     */
    static boolean isDataException(SQLException e) {
        return e.getSQLState() != null && e.getSQLState().startsWith("22");
    }

    /** A row whose value cannot be read, as a record of the dead-letter topic at the row's own offset. */
    private SourceRecord deadLetter(Map<String, ?> offset, Map<String, String> text, SQLException failure) {
        Object table = partition.get("table") != null ? partition.get("table") : partition.get("query");
        Headers headers = SourceDeadLetter.headersAndLog(null, failure, topic, String.valueOf(table), offset,
                deadLetterTopic);
        return new SourceRecord(partition, offset, deadLetterTopic, null, Schema.OPTIONAL_BYTES_SCHEMA,
                SourceDeadLetter.json(converter.keyText(text)), Schema.OPTIONAL_BYTES_SCHEMA,
                SourceDeadLetter.json(text), null, headers);
    }

    /** Closes the open result, if any. */
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

    /** Runs the query; false when the timestamp bound is not known yet, so nothing can be read safely. */
    private boolean execute(Connection connection) throws SQLException {
        Instant upperBound = null;
        if (mode.usesTimestampColumn()) {
            Optional<Instant> bound = timestampBound.next(connection);
            if (bound.isEmpty()) {
                LOG.debug("{}: waiting for transactions in progress to end before reading", description);
                return false;
            }
            upperBound = bound.get();
        }
        QueryBuilder.BoundQuery query = queryBuilder.build(offset, upperBound);
        LOG.trace("Querying {} from offset {}: {}", description, offset, query.sql());
        statement = connection.prepareStatement(query.sql(), ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
        try {
            // One more than a page, so the look-ahead after a page's last row needs no second round trip.
            statement.setFetchSize(batchMaxRows + 1);
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
            return true;
        } catch (SQLException | RuntimeException e) {
            close();
            throw e;
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
