package dev.sluice.connect.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/**
 * The exclusive upper bound of the timestamps the timestamp modes may read now: rows below it must all be
 * committed, so that the offset never moves past a row that is still to appear.
 */
interface TimestampBound {

    /**
     * Runs inside the read's transaction, before its query.
     *
     * @return the bound; empty when no timestamp can be read safely yet
     */
    Optional<Instant> next(Connection connection) throws SQLException;

    /** The bound for a database: in-flight transactions on PostgreSQL, the clock minus the delay elsewhere. */
    static TimestampBound of(DatabaseDialect dialect, TypeMapper typeMapper, long delayMs) {
        ClockBound clock = new ClockBound(dialect, typeMapper, delayMs);
        return dialect.isPostgres() ? new PostgresTimestampBound(clock, delayMs) : clock;
    }
}
