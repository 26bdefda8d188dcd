package dev.sluice.connect.jdbc;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On PostgreSQL, a bound that waits for transactions instead of assuming they are short. {@code now()} in
 * PostgreSQL is the start of the writing transaction, so a transaction open longer than the delay commits rows
 * whose timestamp is already below a clock-based bound. Each call samples the database time and the
 * transactions in progress in this database (their virtual transaction ids, from {@code pg_locks}, which every
 * user may read); the bound is the newest sample time before which all of them have ended, minus the delay
 * (see {@link TransactionHorizon}). It holds for timestamps the writing transaction takes from the database's
 * clock ({@code now()}, {@code clock_timestamp()}, a column default or a trigger), never earlier than its
 * start. The delay stays as a margin for the instant between a transaction taking its start time and
 * registering, and for timestamps set by application clocks.
 *
 * <p>A standby shows only its own sessions, not the primary's transactions: there the clock bound applies.
 */
final class PostgresTimestampBound implements TimestampBound {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresTimestampBound.class);

    // Each transaction holds an exclusive lock on its own virtual transaction id from start to end; the lock is
    // released only after its commit became visible. Joining pg_stat_activity keeps this database's sessions.
    static final String SAMPLE_QUERY = "SELECT now(), pg_is_in_recovery(), ARRAY("
            + "SELECT l.virtualxid FROM pg_catalog.pg_locks l JOIN pg_catalog.pg_stat_activity a ON a.pid = l.pid "
            + "WHERE l.locktype = 'virtualxid' AND l.granted AND l.virtualxid = l.virtualtransaction "
            + "AND l.pid <> pg_backend_pid() AND a.datid = "
            + "(SELECT oid FROM pg_catalog.pg_database WHERE datname = current_database()))";

    private final ClockBound clock;
    private final long delayMs;
    private final TransactionHorizon horizon = new TransactionHorizon();
    private boolean standbyLogged;

    PostgresTimestampBound(ClockBound clock, long delayMs) {
        this.clock = clock;
        this.delayMs = delayMs;
    }

    @Override
    public Optional<Instant> next(Connection connection) throws SQLException {
        Instant now;
        Set<String> inProgress;
        try (PreparedStatement sample = connection.prepareStatement(SAMPLE_QUERY);
             ResultSet rs = sample.executeQuery()) {
            rs.next();
            if (rs.getBoolean(2)) {
                if (!standbyLogged) {
                    standbyLogged = true;
                    LOG.warn("Reading from a PostgreSQL standby, which cannot see the primary's transactions: rows "
                            + "of a transaction open longer than timestamp.delay.interval.ms can be missed");
                }
                return clock.next(connection);
            }
            now = rs.getObject(1, OffsetDateTime.class).toInstant();
            Array ids = rs.getArray(3);
            inProgress = new HashSet<>(Arrays.asList((String[]) ids.getArray()));
            ids.free();
        }
        Optional<Instant> bound = horizon.record(now, inProgress).map(t -> t.minusMillis(delayMs));
        LOG.trace("Timestamp bound {} at {}; {} transaction(s) in progress, {} sample(s) waiting", bound.orElse(null),
                now, inProgress.size(), horizon.pendingSamples());
        return bound;
    }
}
