package dev.sluice.connect.jdbc;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * How the source finds new rows: a full copy every poll, or an incremental read driven by an
 * incrementing id, a last-modified timestamp, or both.
 */
public enum Mode {
    BULK("bulk", false, false),
    INCREMENTING("incrementing", true, false),
    TIMESTAMP("timestamp", false, true),
    TIMESTAMP_INCREMENTING("timestamp+incrementing", true, true);

    private final String configValue;
    private final boolean usesIncrementingColumn;
    private final boolean usesTimestampColumn;

    Mode(String configValue, boolean usesIncrementingColumn, boolean usesTimestampColumn) {
        this.configValue = configValue;
        this.usesIncrementingColumn = usesIncrementingColumn;
        this.usesTimestampColumn = usesTimestampColumn;
    }

    /** The value of the {@code mode} setting that selects this mode. */
    public String configValue() {
        return configValue;
    }

    public boolean usesIncrementingColumn() {
        return usesIncrementingColumn;
    }

    public boolean usesTimestampColumn() {
        return usesTimestampColumn;
    }

    public static Optional<Mode> fromConfigValue(String value) {
        return Arrays.stream(values()).filter(m -> m.configValue.equals(value)).findFirst();
    }

    public static List<String> configValues() {
        return Arrays.stream(values()).map(Mode::configValue).toList();
    }
}
