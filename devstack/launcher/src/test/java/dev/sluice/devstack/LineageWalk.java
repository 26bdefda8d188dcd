package dev.sluice.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Runs the query docs/connectors/s3-parquet-sink.md gives for walking from a gold row back to the bronze rows it
 * counts, word for word but for the product and hour, with DuckDB over local copies of the lake (DuckDB cannot reach
 * the test S3 server): so the documented query is known to work on what the platform writes.
 */
final class LineageWalk {

    private static final Path DOC = Path.of("../../docs/connectors/s3-parquet-sink.md");
    private static final Pattern QUERY = Pattern.compile("```sql\\n(WITH silver AS .*?)```", Pattern.DOTALL);
    private static final String DOC_PRODUCT = "g.product_id = 7";
    private static final String DOC_HOUR = "TIMESTAMPTZ '2026-12-01 09:00:00+00'";
    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'+00'")
            .withZone(ZoneOffset.UTC);

    /**
     * What the walk found for one gold row.
     *
     * @param silverLines the distinct silver order lines of the gold row's product and hour
     * @param bronzeRows  the bronze rows the documented query returned for them
     */
    record Result(long productId, String hour, long silverLines, long bronzeRows) {
    }

    private LineageWalk() {
    }

    /** Copies the three topics the query reads into {@code scratch}, picks a gold row and runs the query for it. */
    static Result fromAGoldRow(S3Client s3, String bucket, Path scratch) throws IOException, SQLException {
        String query = documentedQuery();
        download(s3, bucket, "bronze/bronze.pg.order_items/", scratch);
        download(s3, bucket, "silver/silver.order_lines/", scratch);
        download(s3, bucket, "gold/gold.product_revenue_hourly/", scratch);
        try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:");
             Statement sql = duckdb.createStatement()) {
            sql.execute("SET file_search_path = '" + scratch.toAbsolutePath() + "'");
            long productId;
            String hour;
            try (ResultSet row = sql.executeQuery("SELECT product_id, epoch_ms(window_start) FROM read_parquet("
                    + "'gold/gold.product_revenue_hourly/**/*.parquet', hive_partitioning = true) "
                    + "ORDER BY __kafka_offset LIMIT 1")) {
                if (!row.next()) {
                    throw new IllegalStateException("the lake holds no gold.product_revenue_hourly row");
                }
                productId = row.getLong(1);
                hour = HOUR.format(Instant.ofEpochMilli(row.getLong(2)));
            }
            String walk = query.replace(DOC_PRODUCT, "g.product_id = " + productId)
                    .replace(DOC_HOUR, "TIMESTAMPTZ '" + hour + "'");
            long silverLines = count(sql, walk.substring(0, walk.lastIndexOf("SELECT b.*"))
                    + "SELECT count(*) FROM silver");
            long bronzeRows = count(sql, "SELECT count(*) FROM (" + walk.strip().replaceAll(";$", "") + ")");
            return new Result(productId, hour, silverLines, bronzeRows);
        }
    }

    private static long count(Statement sql, String query) throws SQLException {
        try (ResultSet result = sql.executeQuery(query)) {
            result.next();
            return result.getLong(1);
        }
    }

    /** The query as the docs print it; fails if the docs no longer have it in the form this walk substitutes. */
    static String documentedQuery() throws IOException {
        Matcher block = QUERY.matcher(Files.readString(DOC));
        if (!block.find()) {
            throw new IllegalStateException("no lineage query (```sql WITH silver AS ...) in " + DOC);
        }
        String query = block.group(1);
        if (!query.contains(DOC_PRODUCT) || !query.contains(DOC_HOUR)) {
            throw new IllegalStateException("the lineage query in " + DOC + " no longer selects '" + DOC_PRODUCT
                    + "' and " + DOC_HOUR);
        }
        return query;
    }

    private static void download(S3Client s3, String bucket, String prefix, Path scratch) {
        for (S3Object object : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents()) {
            if (!object.key().endsWith(".parquet")) {
                continue;
            }
            Path local = scratch.resolve(object.key());
            try {
                Files.createDirectories(local.getParent());
                Files.deleteIfExists(local);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            s3.getObject(b -> b.bucket(bucket).key(object.key()), local);
        }
    }
}
