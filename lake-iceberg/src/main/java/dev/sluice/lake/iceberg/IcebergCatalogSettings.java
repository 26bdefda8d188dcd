package dev.sluice.lake.iceberg;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

import org.apache.iceberg.jdbc.JdbcCatalog;

/**
 * Where the lake's Iceberg tables are: Iceberg's JDBC catalog on PostgreSQL, with data and metadata files on S3
 * through {@code S3FileIO} (AWS SDK v2, URL-connection HTTP client, path-style access for S3-API servers). The same
 * settings the {@code iceberg-sink} template gives Iceberg's sink, so maintenance sees the tables the sink writes.
 *
 * @param name       catalog name ({@code iceberg.catalog} of the sink); tables of other names in the same database
 *                   are not seen
 * @param jdbcUrl    the catalog database
 * @param user       the catalog's database role
 * @param password   its password, already resolved from its config reference; never logged
 * @param warehouse  where new tables go, e.g. {@code s3://lake/iceberg}
 * @param s3Endpoint the S3 API endpoint; null for AWS's own
 * @param region     the S3 region
 * @param accessKey  S3 access key
 * @param secretKey  S3 secret key, resolved from its config reference; never logged
 */
public record IcebergCatalogSettings(String name, String jdbcUrl, String user, String password, String warehouse,
                                     URI s3Endpoint, String region, String accessKey, String secretKey) {

    public IcebergCatalogSettings {
        Objects.requireNonNull(name, "catalog name");
        Objects.requireNonNull(jdbcUrl, "catalog jdbc url");
        Objects.requireNonNull(warehouse, "warehouse");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(user, "catalog user");
        Objects.requireNonNull(password, "catalog password");
        Objects.requireNonNull(accessKey, "s3 access key");
        Objects.requireNonNull(secretKey, "s3 secret key");
    }

    /** Opens the catalog; close it when done (it holds a JDBC connection pool and the S3 client). */
    public JdbcCatalog open() {
        JdbcCatalog catalog = new JdbcCatalog();
        catalog.initialize(name, properties());
        return catalog;
    }

    Map<String, String> properties() {
        Map<String, String> properties = new HashMap<>(Map.ofEntries(
                Map.entry("uri", jdbcUrl),
                Map.entry("jdbc.user", user),
                Map.entry("jdbc.password", password),
                // V1 is the layout Iceberg's sink creates; both sides must agree on it.
                Map.entry("jdbc.schema-version", "V1"),
                Map.entry("warehouse", warehouse),
                Map.entry("io-impl", "org.apache.iceberg.aws.s3.S3FileIO"),
                Map.entry("s3.client-factory-impl", "org.apache.iceberg.aws.s3.DefaultS3FileIOAwsClientFactory"),
                Map.entry("http-client.type", "urlconnection"),
                Map.entry("client.region", region),
                Map.entry("s3.access-key-id", accessKey),
                Map.entry("s3.secret-access-key", secretKey)));
        if (s3Endpoint != null) {
            properties.put("s3.endpoint", s3Endpoint.toString());
            properties.put("s3.path-style-access", "true");
        }
        return properties;
    }

    @Override
    public String toString() {
        return "IcebergCatalogSettings[name=" + name + ", jdbcUrl=" + jdbcUrl + ", user=" + user + ", warehouse="
                + warehouse + ", s3Endpoint=" + s3Endpoint + ", region=" + region + "]";
    }
}
