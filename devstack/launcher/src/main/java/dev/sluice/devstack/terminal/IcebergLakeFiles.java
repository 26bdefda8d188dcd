package dev.sluice.devstack.terminal;

import java.io.IOException;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

import dev.sluice.lake.iceberg.IcebergCatalogSettings;
import dev.sluice.lake.iceberg.SinkCommits;
import org.apache.iceberg.jdbc.JdbcCatalog;

/**
 * Counts the data files Iceberg's sinks committed to the lake's tables, by layer (the first level of the table's
 * namespace: {@code bronze.pg.orders} is bronze), from the tables' snapshots ({@link SinkCommits}): files of a
 * commit count once it is committed, never files written and not committed, nor compaction's rewrites. Commits
 * before this counter was created count as written before. The catalog is opened at the first call and kept.
 */
public final class IcebergLakeFiles implements LakeWrites, AutoCloseable {

    private final IcebergCatalogSettings settings;
    private final long since;
    private final Map<String, Long> seen = new HashMap<>();
    private JdbcCatalog catalog;

    public IcebergLakeFiles(IcebergCatalogSettings settings, Clock clock) {
        this.settings = settings;
        this.since = clock.millis();
    }

    @Override
    public synchronized Map<String, Integer> writtenSinceLastCall() {
        if (catalog == null) {
            catalog = settings.open();
        }
        Map<String, Integer> byLayer = new TreeMap<>();
        for (SinkCommits.Commit commit : new SinkCommits(catalog).after(seen, since)) {
            byLayer.merge(commit.table().substring(0, Math.max(0, commit.table().indexOf('.'))),
                    commit.addedDataFiles(), Integer::sum);
            seen.merge(commit.table(), commit.committedAtMillis(), Math::max);
        }
        return byLayer;
    }

    @Override
    public synchronized void close() throws IOException {
        if (catalog != null) {
            catalog.close();
        }
    }
}
