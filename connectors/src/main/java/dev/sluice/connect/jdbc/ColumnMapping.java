package dev.sluice.connect.jdbc;

import java.sql.ResultSet;
import java.sql.SQLException;
import org.apache.kafka.connect.data.Schema;

/**
 * How one result column becomes one field: its Connect schema and the reader that takes its value from the
 * current row in the form that schema expects.
 */
public record ColumnMapping(String fieldName, Schema schema, ValueReader reader) {

    /** Reads a column value of the current row; returns {@code null} for SQL NULL. */
    @FunctionalInterface
    public interface ValueReader {
        Object read(ResultSet rs, int index) throws SQLException;
    }

    public Object read(ResultSet rs, int index) throws SQLException {
        return reader.read(rs, index);
    }
}
