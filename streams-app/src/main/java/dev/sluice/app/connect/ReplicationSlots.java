package dev.sluice.app.connect;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import jakarta.inject.Singleton;

/**
 * Reads and drops the logical replication slot of a Debezium PostgreSQL connector, in the connector's own database
 * and as its own role: a role with REPLICATION may read {@code pg_replication_slots} and drop a slot, no superuser
 * or {@code pg_monitor} is needed.
 */
@Singleton
public class ReplicationSlots {

    /** Debezium's {@code slot.name} default. */
    static final String DEFAULT_SLOT = "debezium";
    /** Debezium's {@code publication.name} default. */
    static final String DEFAULT_PUBLICATION = "dbz_publication";

    private static final String STATE = "SELECT active, wal_status, "
            + "pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn)::bigint, safe_wal_size "
            + "FROM pg_replication_slots WHERE slot_name = ? AND database = current_database()";
    private static final Duration POLL = Duration.ofMillis(250);

    private final ConnectorDatabase databases;

    public ReplicationSlots(ConnectorDatabase databases) {
        this.databases = databases;
    }

    /** The slot name of the connector of {@code config}. */
    static String slotName(Map<String, String> config) {
        return config.getOrDefault("slot.name", DEFAULT_SLOT).strip();
    }

    /** The publication name of the connector of {@code config}. */
    public static String publicationName(Map<String, String> config) {
        return config.getOrDefault("publication.name", DEFAULT_PUBLICATION).strip();
    }

    /**
     * The connector's slot, if it exists.
     *
     * @throws SQLException when the database cannot be read; its message may carry the password: scrub it with
     *         {@link ConnectorDatabase.Target#secrets()}
     */
    Optional<SlotState> state(ConnectorDatabase.Target database, String slot) throws SQLException {
        try (Connection connection = database.open()) {
            return state(connection, slot);
        }
    }

    /**
     * Drops the slot once no connector streams from it, waiting at most {@code wait} for Connect to stop the
     * deleted connector's task.
     *
     * @return the outcome
     */
    SlotDrop drop(ConnectorDatabase.Target database, String slot, Duration wait) throws SQLException {
        long deadline = System.nanoTime() + wait.toNanos();
        try (Connection connection = database.open()) {
            while (true) {
                Optional<SlotState> state = state(connection, slot);
                if (state.isEmpty()) {
                    return new SlotDrop(false, "the slot does not exist");
                }
                if (!state.get().active()) {
                    try (PreparedStatement drop = connection.prepareStatement("SELECT pg_drop_replication_slot(?)")) {
                        drop.setString(1, slot);
                        drop.execute();
                        return new SlotDrop(true, null);
                    } catch (SQLException e) {
                        // 55006: a connector took it again between the two statements; wait on like before.
                        if (!"55006".equals(e.getSQLState())) {
                            throw e;
                        }
                    }
                }
                if (System.nanoTime() > deadline) {
                    return new SlotDrop(false, "still in use after " + wait.toSeconds() + " s");
                }
                try {
                    Thread.sleep(POLL.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return new SlotDrop(false, "interrupted while waiting for the slot to be released");
                }
            }
        }
    }

    /**
     * What became of a slot to drop.
     *
     * @param dropped   whether it was dropped
     * @param notDroppedBecause why not, when not
     */
    record SlotDrop(boolean dropped, String notDroppedBecause) {
    }

    private static Optional<SlotState> state(Connection connection, String slot) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(STATE)) {
            select.setString(1, slot);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                return Optional.of(new SlotState(slot, row.getBoolean(1), row.getString(2), longOrNull(row, 3),
                        longOrNull(row, 4)));
            }
        }
    }

    private static Long longOrNull(ResultSet row, int column) throws SQLException {
        long value = row.getLong(column);
        return row.wasNull() ? null : value;
    }
}
