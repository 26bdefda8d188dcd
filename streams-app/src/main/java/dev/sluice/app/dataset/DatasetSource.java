package dev.sluice.app.dataset;

import java.util.Optional;

import dev.sluice.app.ingest.KeyFormat;

/**
 * Where a dataset's bronze records come from ({@code source}).
 *
 * @param table {@code schema.table} (cdc) or the polled table (jdbc); null for kind topic
 * @param connector the CDC connector carrying the table (cdc) or the JDBC source to create (jdbc); null for topic
 * @param topic the bronze topic
 * @param subject the registry subject of the bronze value schema
 * @param keyFormat how the bronze key is encoded
 * @param jdbc polling settings, present exactly for kind jdbc
 */
public record DatasetSource(SourceKind kind, String table, String connector, String topic, String subject,
        KeyFormat keyFormat, Optional<JdbcPolling> jdbc) {
}
