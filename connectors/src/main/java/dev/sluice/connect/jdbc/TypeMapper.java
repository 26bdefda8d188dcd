package dev.sluice.connect.jdbc;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Blob;
import java.sql.ResultSet;
import java.sql.SQLDataException;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.util.Calendar;
import java.util.Locale;
import java.util.TimeZone;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.errors.DataException;

/**
 * Maps SQL column types to Connect schemas and reads values in the matching Java form.
 *
 * <p>Choices that are not obvious:
 * <ul>
 *   <li>NUMERIC/DECIMAL with a declared precision become the Connect {@link Decimal} logical type with the
 *       column's scale. NUMERIC without a declared precision (PostgreSQL's unconstrained {@code numeric},
 *       Oracle's bare {@code NUMBER}) has no fixed scale, which the Decimal type needs, so it becomes a string
 *       holding the exact value ({@link BigDecimal#toPlainString()}): nothing is rounded.</li>
 *   <li>Unsigned integers (MySQL) widen to the next Connect integer; an unsigned BIGINT becomes Decimal(20,0).</li>
 *   <li>Timestamps become the Connect Timestamp (milliseconds since the epoch, UTC). A timestamp with time zone
 *       is an instant; a timestamp without time zone is read as wall-clock time in {@code db.timezone}.
 *       Connect's Timestamp and Time keep milliseconds, so finer digits are truncated in the record value
 *       (the offset keeps them).</li>
 *   <li>A time with time zone has no Connect type and becomes an ISO-8601 string such as {@code 10:15:30+02:00}.</li>
 *   <li>UUID, JSON, XML, intervals, arrays, money and any other type become strings as the driver renders them,
 *       so no column is dropped.</li>
 *   <li>A field is optional unless the driver reports its column as NOT NULL.</li>
 * </ul>
 */
public final class TypeMapper {

    /** Schema parameter carrying a decimal's declared precision, as other Connect plugins write it. */
    public static final String DECIMAL_PRECISION_PARAMETER = "connect.decimal.precision";

    // PostgreSQL reports 131089 for numeric without precision; Oracle reports scale -127 for bare NUMBER.
    private static final int MAX_DECLARED_PRECISION = 1000;
    private static final int ORACLE_UNDEFINED_SCALE = -127;

    private static final TimeZone UTC = TimeZone.getTimeZone("UTC");
    /**
     * What the PostgreSQL driver returns from getTimestamp for 'infinity' and '-infinity'
     * (PGStatement.DATE_POSITIVE_INFINITY and DATE_NEGATIVE_INFINITY; the driver is no compile dependency).
     */
    private static final long PG_TIMESTAMP_INFINITY = 9223372036825200000L;
    private static final long PG_TIMESTAMP_MINUS_INFINITY = -9223372036832400000L;
    /** SQLState of a value out of range of its target type: a data exception (class 22), dead-lettered. */
    private static final String DATETIME_FIELD_OVERFLOW = "22008";

    private final TimeZone dbTimeZone;

    /** @param dbTimeZone the zone in which timestamps without time zone are read */
    public TypeMapper(TimeZone dbTimeZone) {
        this.dbTimeZone = (TimeZone) dbTimeZone.clone();
    }

    public ColumnMapping map(ColumnDescriptor column) {
        String typeName = column.typeName() == null ? "" : column.typeName().toLowerCase(Locale.ROOT);
        return switch (column.jdbcType()) {
            case Types.BOOLEAN -> mapping(column, SchemaBuilder.bool(), TypeMapper::readBoolean);
            case Types.BIT -> column.precision() <= 1
                    ? mapping(column, SchemaBuilder.bool(), TypeMapper::readBoolean)
                    : string(column);
            case Types.TINYINT -> column.signed()
                    ? mapping(column, SchemaBuilder.int8(), (rs, i) -> nullIfWasNull(rs, rs.getByte(i)))
                    : mapping(column, SchemaBuilder.int16(), (rs, i) -> nullIfWasNull(rs, rs.getShort(i)));
            case Types.SMALLINT -> column.signed()
                    ? mapping(column, SchemaBuilder.int16(), (rs, i) -> nullIfWasNull(rs, rs.getShort(i)))
                    : mapping(column, SchemaBuilder.int32(), (rs, i) -> nullIfWasNull(rs, rs.getInt(i)));
            case Types.INTEGER -> column.signed()
                    ? mapping(column, SchemaBuilder.int32(), (rs, i) -> nullIfWasNull(rs, rs.getInt(i)))
                    : mapping(column, SchemaBuilder.int64(), (rs, i) -> nullIfWasNull(rs, rs.getLong(i)));
            case Types.BIGINT -> column.signed()
                    ? mapping(column, SchemaBuilder.int64(), (rs, i) -> nullIfWasNull(rs, rs.getLong(i)))
                    : decimal(column, 20, 0);
            case Types.REAL -> mapping(column, SchemaBuilder.float32(), (rs, i) -> nullIfWasNull(rs, rs.getFloat(i)));
            case Types.FLOAT, Types.DOUBLE -> "money".equals(typeName)
                    ? string(column)
                    : mapping(column, SchemaBuilder.float64(), (rs, i) -> nullIfWasNull(rs, rs.getDouble(i)));
            case Types.NUMERIC, Types.DECIMAL -> isUnconstrained(column)
                    ? mapping(column, SchemaBuilder.string(), TypeMapper::readPlainDecimal)
                    : decimal(column, column.precision(), column.scale());
            case Types.CHAR, Types.VARCHAR, Types.LONGVARCHAR, Types.NCHAR, Types.NVARCHAR, Types.LONGNVARCHAR,
                 Types.CLOB, Types.NCLOB -> string(column);
            case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY ->
                    mapping(column, SchemaBuilder.bytes(), (rs, i) -> rs.getBytes(i));
            case Types.BLOB -> mapping(column, SchemaBuilder.bytes(), TypeMapper::readBlob);
            case Types.DATE -> mapping(column, Date.builder(), TypeMapper::readDate);
            case Types.TIME -> typeName.equals("timetz") || typeName.contains("with time zone")
                    ? mapping(column, SchemaBuilder.string(), TypeMapper::readOffsetTime)
                    : mapping(column, Time.builder(), TypeMapper::readTime);
            case Types.TIME_WITH_TIMEZONE -> mapping(column, SchemaBuilder.string(), TypeMapper::readOffsetTime);
            case Types.TIMESTAMP -> mapping(column, org.apache.kafka.connect.data.Timestamp.builder(),
                    this::readTimestamp);
            case Types.TIMESTAMP_WITH_TIMEZONE -> mapping(column, org.apache.kafka.connect.data.Timestamp.builder(),
                    this::readOffsetDateTime);
            case Types.NULL -> new ColumnMapping(column.name(), Schema.OPTIONAL_STRING_SCHEMA, (rs, i) -> null);
            default -> string(column);
        };
    }

    /**
     * Reads a timestamp column with full precision as an instant, the way offsets need it: an instant for a
     * timestamp with time zone, wall-clock time in {@code db.timezone} for one without.
     */
    public Timestamp readTimestampValue(ResultSet rs, int index) throws SQLException {
        return rs.getTimestamp(index, calendar());
    }

    /** The calendar that binds timestamp parameters in {@code db.timezone}. */
    public Calendar calendar() {
        return Calendar.getInstance(dbTimeZone, Locale.ROOT);
    }

    static boolean isUnconstrained(ColumnDescriptor column) {
        return column.precision() <= 0
                || column.precision() > MAX_DECLARED_PRECISION
                || column.scale() == ORACLE_UNDEFINED_SCALE;
    }

    private ColumnMapping decimal(ColumnDescriptor column, int precision, int scale) {
        SchemaBuilder builder = Decimal.builder(scale)
                .parameter(DECIMAL_PRECISION_PARAMETER, Integer.toString(precision));
        String name = column.name();
        return mapping(column, builder, (rs, i) -> {
            BigDecimal value = rs.getBigDecimal(i);
            if (value == null || value.scale() == scale) {
                return value;
            }
            try {
                return value.setScale(scale, RoundingMode.UNNECESSARY);
            } catch (ArithmeticException e) {
                throw new DataException("column '" + name + "' returned " + value.toPlainString()
                        + ", which has more fractional digits than its declared scale " + scale);
            }
        });
    }

    private static ColumnMapping string(ColumnDescriptor column) {
        return mapping(column, SchemaBuilder.string(), (rs, i) -> rs.getString(i));
    }

    private static ColumnMapping mapping(ColumnDescriptor column, SchemaBuilder builder,
                                         ColumnMapping.ValueReader reader) {
        if (column.nullable()) {
            builder.optional();
        }
        return new ColumnMapping(column.name(), builder.build(), reader);
    }

    private static Object nullIfWasNull(ResultSet rs, Object value) throws SQLException {
        return rs.wasNull() ? null : value;
    }

    private static Object readBoolean(ResultSet rs, int i) throws SQLException {
        boolean value = rs.getBoolean(i);
        return rs.wasNull() ? null : value;
    }

    private static Object readPlainDecimal(ResultSet rs, int i) throws SQLException {
        BigDecimal value = rs.getBigDecimal(i);
        return value == null ? null : value.toPlainString();
    }

    private static Object readBlob(ResultSet rs, int i) throws SQLException {
        Blob blob = rs.getBlob(i);
        if (blob == null) {
            return null;
        }
        try {
            long length = blob.length();
            if (length > Integer.MAX_VALUE) {
                throw new DataException("BLOB of " + length + " bytes is larger than a record field can hold");
            }
            return blob.getBytes(1, (int) length);
        } finally {
            blob.free();
        }
    }

    private static Object readDate(ResultSet rs, int i) throws SQLException {
        LocalDate date;
        try {
            date = rs.getObject(i, LocalDate.class);
        } catch (SQLFeatureNotSupportedException e) {
            java.sql.Date legacy = rs.getDate(i, Calendar.getInstance(UTC, Locale.ROOT));
            return legacy == null ? null : new java.util.Date(legacy.getTime());
        }
        if (date == null) {
            return null;
        }
        // The driver's 'infinity' and '-infinity': epoch milliseconds would overflow into a nonsense year.
        if (date.equals(LocalDate.MAX) || date.equals(LocalDate.MIN)) {
            throw noRepresentation(rs, i, "date");
        }
        return new java.util.Date(date.toEpochDay() * 86_400_000L);
    }

    /**
     * A value the database holds (PostgreSQL's 'infinity' and '-infinity') that no Connect value can: a data
     * exception, which unreadable.values=dead-letter sends to the dead letters.
     */
    private static SQLException noRepresentation(ResultSet rs, int i, String type) throws SQLException {
        return new SQLDataException("column " + rs.getMetaData().getColumnLabel(i) + ": PostgreSQL '"
                + rs.getString(i) + "' has no " + type + " representation", DATETIME_FIELD_OVERFLOW);
    }

    private static Object readTime(ResultSet rs, int i) throws SQLException {
        LocalTime time;
        try {
            time = rs.getObject(i, LocalTime.class);
        } catch (SQLFeatureNotSupportedException e) {
            java.sql.Time legacy = rs.getTime(i, Calendar.getInstance(UTC, Locale.ROOT));
            return legacy == null ? null : new java.util.Date(legacy.getTime());
        }
        return time == null ? null : new java.util.Date(time.toNanoOfDay() / 1_000_000L);
    }

    private static Object readOffsetTime(ResultSet rs, int i) throws SQLException {
        try {
            OffsetTime time = rs.getObject(i, OffsetTime.class);
            return time == null ? null : time.toString();
        } catch (SQLFeatureNotSupportedException e) {
            return rs.getString(i);
        }
    }

    private Object readTimestamp(ResultSet rs, int i) throws SQLException {
        Timestamp ts = readTimestampValue(rs, i);
        if (ts == null) {
            return null;
        }
        if (ts.getTime() == PG_TIMESTAMP_INFINITY || ts.getTime() == PG_TIMESTAMP_MINUS_INFINITY) {
            throw noRepresentation(rs, i, "timestamp");
        }
        return new java.util.Date(ts.getTime());
    }

    private Object readOffsetDateTime(ResultSet rs, int i) throws SQLException {
        try {
            OffsetDateTime value = rs.getObject(i, OffsetDateTime.class);
            if (value == null) {
                return null;
            }
            // The driver's 'infinity' and '-infinity', which no java.util.Date can hold.
            if (value.equals(OffsetDateTime.MAX) || value.equals(OffsetDateTime.MIN)) {
                throw noRepresentation(rs, i, "timestamp");
            }
            return java.util.Date.from(value.toInstant());
        } catch (SQLFeatureNotSupportedException e) {
            return readTimestamp(rs, i);
        }
    }
}
