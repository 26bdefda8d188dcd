package dev.sluice.connect.jdbc;

import java.sql.ResultSetMetaData;
import java.sql.SQLException;

/**
 * What the driver reports about one result column, which is all the type mapping needs.
 *
 * @param name      the column label, used as the field name
 * @param jdbcType  a {@link java.sql.Types} constant
 * @param typeName  the database's own type name (e.g. {@code timestamptz}, {@code uuid}, {@code jsonb})
 * @param precision the declared precision or length; 0 when the driver does not know it
 * @param scale     the declared scale
 * @param nullable  false only when the driver reports the column as NOT NULL
 * @param signed    whether numbers in the column are signed
 */
public record ColumnDescriptor(String name, int jdbcType, String typeName, int precision, int scale,
                               boolean nullable, boolean signed) {

    /** Describes column {@code index} (1-based) of a result. */
    public static ColumnDescriptor of(ResultSetMetaData md, int index) throws SQLException {
        String label = md.getColumnLabel(index);
        return new ColumnDescriptor(
                label == null || label.isEmpty() ? md.getColumnName(index) : label,
                md.getColumnType(index),
                md.getColumnTypeName(index),
                md.getPrecision(index),
                md.getScale(index),
                md.isNullable(index) != ResultSetMetaData.columnNoNulls,
                md.isSigned(index));
    }
}
