package dev.sluice.devstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.LocalInputFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.sluice.embedded.Await;
import dev.sluice.embedded.ChildJvm;
import dev.sluice.embedded.ConnectWorker;
import dev.sluice.embedded.EmbeddedPlatform;
import dev.sluice.embedded.EmbeddedPlatformExtension;
import dev.sluice.embedded.KafkaBroker;
import dev.sluice.embedded.Ports;
import dev.sluice.embedded.PostgresServer;
import dev.sluice.embedded.RegistryServer;
import dev.sluice.embedded.S3Server;
import dev.sluice.embedded.Secrets;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Issue 17 item 5, without touching Java: a new PostgreSQL table of the shop database becomes a dataset by a PUT of
 * its specification to streams-app (a child JVM from its build, with ./sluice up's dataset settings) on the real
 * platform with the demo connectors. The answer says applied; the table is then captured by the shop's CDC
 * connector, its rows reach bronze and the lake as Parquet partitioned by the spec's field, and a column added to
 * the table later arrives in the lake's files.
 */
@ExtendWith(EmbeddedPlatformExtension.class)
class DatasetEndToEndIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final String TABLE = "shipments";
    private static final String BRONZE = "bronze.pg." + TABLE;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void aNewTableBecomesADatasetByItsSpecificationAndReachesTheLakeWithItsPartitionsAndLaterColumns(
            EmbeddedPlatform platform, KafkaBroker kafka, ConnectWorker connect, RegistryServer registry,
            PostgresServer postgres, S3Server s3) throws Exception {
        Properties secrets = DemoConnectors.postgresSecrets(postgres);
        secrets.setProperty("s3.access.key", s3.accessKey());
        secrets.setProperty("s3.secret.key", s3.secretKey());
        Path secretsFile = platform.stateDir().resolve("secrets/datasets-e2e.properties");
        Secrets.writePrivate(secretsFile, secrets, "dataset end-to-end test secrets");
        new DemoConnectors(connect.restUrl(), kafka.bootstrapServers(), registry, postgres, s3, secretsFile,
                Duration.ofSeconds(2)).registerAll();
        sql(postgres, "CREATE TABLE public." + TABLE + " (id BIGINT PRIMARY KEY, region TEXT NOT NULL, "
                + "carrier TEXT NOT NULL)");

        Path dir = platform.stateDir().resolve("datasets-e2e");
        Map<String, String> settings = new HashMap<>(Devstack.datasetEnvironment(postgres,
                dir.resolve("datasets"), secretsFile));
        // Without ./sluice up's supervisor the test applies a pending restart itself.
        settings.put("SLUICE_DATASETS_APPLY", "report");
        int port = Ports.orFree(0);
        String token = Secrets.random();
        String spec = """
                name: %s
                source:
                  kind: cdc
                  table: public.%s
                key: [id]
                validation:
                  fields:
                    id: {required: true, type: long, min: 1}
                    region: {required: true, type: string, allowed: [EMEA, AMER, APAC]}
                lake:
                  zones: [bronze, silver]
                  partition-by: [region]
                freshness:
                  sla: 2m
                """.formatted(TABLE, TABLE);
        try (ChildJvm app = StreamsAppUnderTest.start(dir, port, kafka, registry, connect, token, settings)) {
            String url = "http://" + Ports.HOST + ":" + port + "/api/datasets/" + TABLE;
            HttpResponse<String> valid = put(url + "?validateOnly=true", token, spec);
            assertEquals(200, valid.statusCode(), valid.body());
            assertEquals("valid", json(valid).path("outcome").asText(), valid.body());
            HttpResponse<String> applied = put(url, token, spec);
            assertEquals(200, applied.statusCode(), applied.body());
            assertEquals("applied", json(applied).path("outcome").asText(), applied.body());
            assertTrue(Files.exists(dir.resolve("datasets/" + TABLE + ".yaml")), "the specification is kept");
        }
        assertTrue(published(postgres), "the table is in the shop publication");

        sql(postgres, "INSERT INTO public." + TABLE + " VALUES (1, 'EMEA', 'dhl'), (2, 'AMER', 'ups'), "
                + "(3, 'MARS', 'ups')");
        S3Client client = s3.client();
        Path scratch = platform.stateDir().resolve("datasets-e2e/scratch");
        Await.until("bronze Parquet of " + TABLE + " in its region partitions", TIMEOUT, () -> {
            List<String> keys = parquet(client, "bronze/" + BRONZE + "/");
            return keys.stream().anyMatch(k -> k.contains("/region=EMEA/"))
                    && keys.stream().anyMatch(k -> k.contains("/region=AMER/"))
                    && keys.stream().anyMatch(k -> k.contains("/region=MARS/"));
        });

        sql(postgres, "ALTER TABLE public." + TABLE + " ADD COLUMN tracking_no TEXT",
                "INSERT INTO public." + TABLE + " VALUES (4, 'APAC', 'dhl', 'Z9')");
        Await.until("a bronze Parquet file with the new column", TIMEOUT, () -> {
            for (String key : parquet(client, "bronze/" + BRONZE + "/")) {
                if (key.contains("/region=APAC/") && columns(client, key, scratch).contains("tracking_no")) {
                    return true;
                }
            }
            return false;
        });
    }

    private static HttpResponse<String> put(String url, String token, String yaml) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/yaml").PUT(HttpRequest.BodyPublishers.ofString(yaml)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return new ObjectMapper().readTree(response.body());
    }

    private static List<String> parquet(S3Client client, String prefix) {
        List<String> keys = new ArrayList<>();
        for (S3Object object : client.listObjectsV2Paginator(b -> b.bucket(S3Server.LAKE_BUCKET).prefix(prefix))
                .contents()) {
            if (object.key().endsWith(".parquet")) {
                keys.add(object.key());
            }
        }
        return keys;
    }

    private static List<String> columns(S3Client client, String key, Path scratch) throws Exception {
        Files.createDirectories(scratch);
        Path local = Files.createTempFile(scratch, "lake-", ".parquet");
        Files.delete(local);
        client.getObject(b -> b.bucket(S3Server.LAKE_BUCKET).key(key), local);
        try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(local))) {
            return reader.getFileMetaData().getSchema().getFields().stream()
                    .map(org.apache.parquet.schema.Type::getName).toList();
        } finally {
            Files.delete(local);
        }
    }

    private static boolean published(PostgresServer postgres) throws Exception {
        try (Connection owner = postgres.connect(PostgresServer.SHOP_DB); Statement statement = owner.createStatement();
                ResultSet rows = statement.executeQuery("SELECT count(*) FROM pg_publication_tables WHERE pubname = '"
                        + PostgresServer.SHOP_PUBLICATION + "' AND tablename = '" + TABLE + "'")) {
            rows.next();
            return rows.getInt(1) == 1;
        }
    }

    private static void sql(PostgresServer postgres, String... statements) throws Exception {
        try (Connection owner = postgres.connect(PostgresServer.SHOP_DB); Statement statement = owner.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }
}
