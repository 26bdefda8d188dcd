package dev.sluice.app.dataset;

import java.time.Duration;

/**
 * How the JDBC source polls a {@code jdbc} dataset's table ({@code source.jdbc}); the modes and column settings are
 * those of the {@code jdbc-source} connector template.
 *
 * @param mode bulk, incrementing, timestamp or timestamp+incrementing
 * @param incrementingColumn the integer column that grows with every new row (incrementing modes)
 * @param timestampColumn the column set on every insert and update (timestamp modes)
 * @param pollInterval time between two reads of the table
 */
public record JdbcPolling(String mode, String incrementingColumn, String timestampColumn, Duration pollInterval) {
}
