package dev.sluice.connect.jdbc;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Builds the SELECT that reads the next rows of one source for its mode.
 *
 * <ul>
 *   <li>bulk: every row;</li>
 *   <li>incrementing: {@code id > last_id ORDER BY id};</li>
 *   <li>timestamp: {@code ts > last_ts AND ts < bound ORDER BY ts};</li>
 *   <li>timestamp+incrementing: {@code ts < bound AND (ts > last_ts OR (ts = last_ts AND id > last_id))
 *       ORDER BY ts, id}.</li>
 * </ul>
 * The bound comes from {@link TimestampBound}: every row whose timestamp lies before it is committed, and a row
 * at or after it is left for a later poll, so a transaction still in flight when the query runs is not
 * skipped. A custom query is wrapped as a derived table so the conditions apply to
 * its result columns.
 */
public final class QueryBuilder {

    /** Alias of a custom query wrapped as a derived table. */
    static final String QUERY_ALIAS = "sluice_source";

    private final Mode mode;
    private final String from;
    private final String timestampColumn;
    private final String incrementingColumn;

    /**
     * @param mode               the read mode
     * @param from               the FROM clause content: a quoted table name or a wrapped custom query
     * @param timestampColumn    quoted timestamp column, required by the timestamp modes
     * @param incrementingColumn quoted incrementing column, required by the incrementing modes
     */
    public QueryBuilder(Mode mode, String from, String timestampColumn, String incrementingColumn) {
        this.mode = Objects.requireNonNull(mode, "mode");
        this.from = Objects.requireNonNull(from, "from");
        if (mode.usesTimestampColumn() && (timestampColumn == null || timestampColumn.isEmpty())) {
            throw new IllegalArgumentException("mode " + mode.configValue() + " needs a timestamp column");
        }
        if (mode.usesIncrementingColumn() && (incrementingColumn == null || incrementingColumn.isEmpty())) {
            throw new IllegalArgumentException("mode " + mode.configValue() + " needs an incrementing column");
        }
        this.timestampColumn = timestampColumn;
        this.incrementingColumn = incrementingColumn;
    }

    /**
     * The FROM clause content for a custom query: a derived table with a fixed alias. The line break keeps a
     * trailing line comment of the query from swallowing the conditions after it.
     */
    public static String fromQuery(String query) {
        return "(" + stripTrailingSemicolons(query) + "\n) " + QUERY_ALIAS;
    }

    /** A statement with its parameters in order: {@link Instant} for timestamps, {@link Long} for ids. */
    public record BoundQuery(String sql, List<Object> parameters) {
        public BoundQuery {
            parameters = List.copyOf(parameters);
        }
    }

    /**
     * @param offset     the last row delivered ({@link SourceOffset#start()} before the first row)
     * @param upperBound exclusive upper bound of the timestamp; required by the timestamp modes, else ignored
     */
    public BoundQuery build(SourceOffset offset, Instant upperBound) {
        Objects.requireNonNull(offset, "offset");
        StringBuilder sql = new StringBuilder("SELECT * FROM ").append(from);
        List<Object> params = new ArrayList<>(4);
        switch (mode) {
            case BULK -> { }
            case INCREMENTING -> {
                if (offset.incrementing() != null) {
                    sql.append(" WHERE ").append(incrementingColumn).append(" > ?");
                    params.add(offset.incrementing());
                } else {
                    sql.append(" WHERE ").append(incrementingColumn).append(" IS NOT NULL");
                }
                sql.append(" ORDER BY ").append(incrementingColumn).append(" ASC");
            }
            case TIMESTAMP -> {
                requireBound(upperBound);
                sql.append(" WHERE ").append(timestampColumn).append(" < ?");
                params.add(upperBound);
                if (offset.timestamp() != null) {
                    sql.append(" AND ").append(timestampColumn).append(" > ?");
                    params.add(offset.timestamp());
                }
                sql.append(" ORDER BY ").append(timestampColumn).append(" ASC");
            }
            case TIMESTAMP_INCREMENTING -> {
                requireBound(upperBound);
                sql.append(" WHERE ").append(timestampColumn).append(" < ?");
                params.add(upperBound);
                if (offset.timestamp() != null && offset.incrementing() != null) {
                    sql.append(" AND (").append(timestampColumn).append(" > ? OR (")
                            .append(timestampColumn).append(" = ? AND ")
                            .append(incrementingColumn).append(" > ?))");
                    params.add(offset.timestamp());
                    params.add(offset.timestamp());
                    params.add(offset.incrementing());
                } else if (offset.timestamp() != null) {
                    // Written by timestamp mode, which commits a timestamp only once every row carrying it
                    // was delivered: resume after it.
                    sql.append(" AND ").append(timestampColumn).append(" > ?");
                    params.add(offset.timestamp());
                } else {
                    sql.append(" AND ").append(incrementingColumn).append(" IS NOT NULL");
                }
                sql.append(" ORDER BY ").append(timestampColumn).append(" ASC, ")
                        .append(incrementingColumn).append(" ASC");
            }
            default -> throw new IllegalStateException("unhandled mode " + mode);
        }
        return new BoundQuery(sql.toString(), params);
    }

    /** A statement returning no rows whose result columns are those the source reads: for validation. */
    public String emptyResultQuery() {
        return "SELECT * FROM " + from + " WHERE 1 = 0";
    }

    private static void requireBound(Instant upperBound) {
        if (upperBound == null) {
            throw new IllegalArgumentException("timestamp modes need an upper bound");
        }
    }

    private static String stripTrailingSemicolons(String query) {
        String q = query.strip();
        while (q.endsWith(";")) {
            q = q.substring(0, q.length() - 1).stripTrailing();
        }
        return q;
    }
}
