package dev.sluice.app.compaction;

import java.io.IOException;
import java.net.URI;

import dev.sluice.lake.iceberg.IcebergCatalogSettings;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.exceptions.ConfigurationException;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.jdbc.JdbcCatalog;

/**
 * The lake's Iceberg catalog, one per service, shared by the tables' maintenance and the lake layer of the status.
 * Its settings are checked when the bean is created (at start-up, through the maintenance job), naming the key;
 * the catalog itself is opened at first use, not at start: the catalog database may not be reachable yet.
 */
@Singleton
@Requires(property = "sluice.iceberg-maintenance.enabled", value = "true")
public class IcebergCatalogAccess {

    private static final String KEY = "sluice.iceberg-maintenance.";

    private final IcebergCatalogSettings settings;
    private JdbcCatalog catalog;

    public IcebergCatalogAccess(IcebergMaintenanceConfiguration configuration, CompactionConfiguration compaction) {
        this.settings = settings(configuration, compaction.getS3());
    }

    /** The catalog, opened on the first call. */
    public synchronized Catalog catalog() {
        if (catalog == null) {
            catalog = settings.open();
        }
        return catalog;
    }

    static IcebergCatalogSettings settings(IcebergMaintenanceConfiguration c, CompactionConfiguration.S3 s3) {
        require(c.getCatalogUri(), "catalog-uri", "must name the catalog database, e.g. "
                + "jdbc:postgresql://127.0.0.1:5432/iceberg_catalog (SLUICE_ICEBERG_CATALOG_URI)");
        require(c.getCatalogPassword(), "catalog-password", "must be set (SLUICE_ICEBERG_CATALOG_PASSWORD)");
        require(c.getWarehouse(), "warehouse", "must name the tables' location, e.g. s3://lake/iceberg");
        // S3FileIO is given the keys; the default AWS chain is not wired through the catalog properties.
        if (s3.getAccessKey() == null || s3.getAccessKey().isBlank() || s3.getSecretKey() == null
                || s3.getSecretKey().isBlank()) {
            throw new ConfigurationException("sluice.compaction.s3.access-key and sluice.compaction.s3.secret-key "
                    + "must be set for " + KEY + "enabled (SLUICE_S3_ACCESS_KEY, SLUICE_S3_SECRET_KEY)");
        }
        URI endpoint;
        try {
            endpoint = s3.getEndpoint() == null || s3.getEndpoint().isBlank() ? null
                    : URI.create(s3.getEndpoint().strip());
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("sluice.compaction.s3.endpoint is not a URL: " + e.getMessage());
        }
        return new IcebergCatalogSettings(c.getCatalogName(), c.getCatalogUri().strip(), c.getCatalogUser(),
                c.getCatalogPassword(), c.getWarehouse().strip(), endpoint, s3.getRegion(), s3.getAccessKey().strip(),
                s3.getSecretKey().strip());
    }

    private static void require(String value, String key, String problem) {
        if (value == null || value.isBlank()) {
            throw new ConfigurationException(KEY + key + " " + problem);
        }
    }

    @PreDestroy
    synchronized void close() throws IOException {
        if (catalog != null) {
            catalog.close();
            catalog = null;
        }
    }
}
