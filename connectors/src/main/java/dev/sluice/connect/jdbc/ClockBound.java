package dev.sluice.connect.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/**
 * The database's current time minus {@code timestamp.delay.interval.ms}. It assumes every transaction commits
 * within the delay after the timestamps it writes: a row of a longer transaction is missed once the offset
 * has moved past its timestamp. The time comes from the database, not the worker, so clock skew between
 * them cannot skip rows.
 */
final class ClockBound implements TimestampBound {

    private final DatabaseDialect dialect;
    private final TypeMapper typeMapper;
    private final long delayMs;

    ClockBound(DatabaseDialect dialect, TypeMapper typeMapper, long delayMs) {
        this.dialect = dialect;
        this.typeMapper = typeMapper;
        this.delayMs = delayMs;
    }

    @Override
    public Optional<Instant> next(Connection connection) throws SQLException {
        try (PreparedStatement now = connection.prepareStatement(dialect.currentTimestampQuery());
             ResultSet rs = now.executeQuery()) {
            if (!rs.next()) {
                throw new SQLException("'" + dialect.currentTimestampQuery() + "' returned no row");
            }
            return Optional.of(rs.getTimestamp(1, typeMapper.calendar()).toInstant().minusMillis(delayMs));
        }
    }
}
