package dev.sluice.devstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;

import dev.sluice.connect.admin.ConnectRestClient;
import dev.sluice.embedded.ConnectWorker;
import dev.sluice.embedded.EmbeddedPlatform;
import dev.sluice.embedded.EmbeddedPlatformExtension;
import dev.sluice.embedded.KafkaBroker;
import dev.sluice.embedded.PostgresServer;
import dev.sluice.embedded.RegistryServer;
import dev.sluice.embedded.S3Server;
import dev.sluice.embedded.Secrets;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * The platform's parts work together: CDC of a PostgreSQL row through Connect and Debezium into a bronze topic as
 * registry-framed Avro; the S3 server through the AWS SDK; Connect's plugin list.
 */
@ExtendWith(EmbeddedPlatformExtension.class)
class PlatformIT {

    private static Path secrets;

    @BeforeAll
    static void registerDemoConnectors(EmbeddedPlatform platform, ConnectWorker connect, RegistryServer registry,
            PostgresServer postgres, S3Server s3) throws IOException {
        Properties props = new Properties();
        props.setProperty("postgres.password", postgres.password());
        props.setProperty("s3.access.key", s3.accessKey());
        props.setProperty("s3.secret.key", s3.secretKey());
        secrets = platform.stateDir().resolve("secrets/connect.properties");
        Secrets.writePrivate(secrets, props, "test secrets");
        new DemoConnectors(connect.restUrl(), registry, postgres, s3, secrets).registerAll();
    }

    @Test
    void aRowInsertedInPostgresArrivesInItsBronzeTopicAsRegisteredAvro(KafkaBroker kafka, PostgresServer postgres,
            RegistryServer registry) throws Exception {
        String email = "cdc-probe-" + System.nanoTime() + "@example.com";
        try (Connection shop = postgres.connect(PostgresServer.SHOP_DB);
                PreparedStatement insert = shop.prepareStatement(
                        "INSERT INTO customers (email, full_name, region, country) VALUES (?, 'Probe', 'EMEA', 'DE')")) {
            insert.setString(1, email);
            insert.executeUpdate();
        }
        GenericRecord row = BronzeRecords.awaitValue(kafka.bootstrapServers(), registry.ccompatUrl(),
                "bronze.pg.customers", Duration.ofSeconds(60), r -> email.equals(String.valueOf(r.get("email"))));
        assertEquals("Probe", row.get("full_name").toString());
        assertEquals("c", row.get("__op").toString());
        assertEquals("false", row.get("__deleted").toString());
        assertEquals("customers", row.get("__table").toString());
    }

    @Test
    void warehouseRowsArrivePolledByTheJdbcSource(KafkaBroker kafka, RegistryServer registry) {
        GenericRecord rate = BronzeRecords.awaitValue(kafka.bootstrapServers(), registry.ccompatUrl(),
                "bronze.warehouse.exchange_rates", Duration.ofSeconds(60),
                r -> "USD".equals(String.valueOf(r.get("currency"))));
        assertTrue(rate.get("rate_to_eur") != null, rate.toString());
    }

    @Test
    void everyDemoConnectorRuns(ConnectWorker connect) {
        ConnectRestClient rest = new ConnectRestClient(connect.restUrl());
        for (String name : List.of(DemoConnectors.SHOP_CDC, DemoConnectors.WAREHOUSE_JDBC,
                DemoConnectors.lakeConnectorName("bronze"), DemoConnectors.lakeConnectorName("silver"),
                DemoConnectors.lakeConnectorName("gold"))) {
            assertTrue(rest.isRunning(name), name + ": " + rest.status(name));
        }
    }

    @Test
    void snapshotRowsAreCapturedToo(KafkaBroker kafka, RegistryServer registry) {
        GenericRecord seeded = BronzeRecords.awaitValue(kafka.bootstrapServers(), registry.ccompatUrl(),
                "bronze.pg.products", Duration.ofSeconds(60), r -> "SKU-0001".equals(String.valueOf(r.get("sku"))));
        assertEquals("r", seeded.get("__op").toString(), "seed rows come from the initial snapshot");
    }

    @Test
    void theConnectorConfigHoldsNoPassword(ConnectWorker connect, PostgresServer postgres) throws Exception {
        JsonNode config = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(connect.get("/connectors/" + DemoConnectors.SHOP_CDC + "/config").body());
        String password = config.path("database.password").asText();
        assertTrue(password.startsWith("${file:"), "a config-provider reference, not the password: " + password);
        assertTrue(!config.toString().contains(postgres.password()), "the password itself never reaches Connect's config");
    }

    @Test
    void anObjectWrittenWithTheAwsSdkCanBeListedAndReadBack(S3Server s3) {
        String key = "bronze/it/" + System.nanoTime() + ".txt";
        s3.client().putObject(b -> b.bucket(S3Server.LAKE_BUCKET).key(key),
                RequestBody.fromString("sluice", StandardCharsets.UTF_8));
        List<String> listed = s3.client().listObjectsV2(b -> b.bucket(S3Server.LAKE_BUCKET).prefix("bronze/it/"))
                .contents().stream().map(o -> o.key()).toList();
        assertTrue(listed.contains(key), listed.toString());
        assertEquals("sluice", s3.client().getObjectAsBytes(b -> b.bucket(S3Server.LAKE_BUCKET).key(key))
                .asString(StandardCharsets.UTF_8));
    }

    @Test
    void connectListsTheDebeziumPlugin(ConnectWorker connect) {
        JsonNode plugins = new ConnectRestClient(connect.restUrl()).plugins();
        boolean debezium = false;
        for (JsonNode plugin : plugins) {
            debezium |= plugin.path("class").asText().equals("io.debezium.connector.postgresql.PostgresConnector");
        }
        assertTrue(debezium, plugins.toString());
        assertTrue(Files.exists(secrets));
    }
}
